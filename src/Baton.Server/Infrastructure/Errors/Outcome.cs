namespace Baton.Server.Infrastructure.Errors;

/// <summary>The result of a command: a value, or the <see cref="Failure"/> that stopped it.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }
    public Failure? Failure { get; }

#pragma warning disable CA2225 // Conversions are the point: commands return a value or a Failure.
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
#pragma warning restore CA2225
}
