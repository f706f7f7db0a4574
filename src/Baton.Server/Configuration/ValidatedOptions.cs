using Microsoft.Extensions.Options;

namespace Baton.Server.Configuration;

/// <summary>Options classes that say what is wrong with themselves, in one message naming the setting.</summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> (when given) and refuses to start with the first problem <paramref name="check"/> finds.</summary>
    public static OptionsBuilder<T> AddValidated<T>(this IServiceCollection services, Func<T, string?> check, string? section = null) where T : class
    {
        var builder = services.AddOptions<T>();
        if (section is not null)
        {
            builder.BindConfiguration(section);
        }
        services.AddSingleton<IValidateOptions<T>>(new Check<T>(check));
        return builder.ValidateOnStart();
    }

    private sealed class Check<T>(Func<T, string?> check) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            check(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
