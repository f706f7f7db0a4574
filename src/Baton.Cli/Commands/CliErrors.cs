using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Baton.Cli.Commands;

/// <summary>Start-up failures a person can fix, reported as one line on stderr with exit code 2.</summary>
internal static class CliErrors
{
    public const int ConfigurationError = Agent.Cli.BatonCommandLine.UsageError;

    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OptionsValidationException exception)
        {
            return Fail($"invalid configuration: {string.Join("; ", exception.Failures)}");
        }
        // Several options classes failing at start arrive together.
        catch (AggregateException exception) when (exception.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return Fail($"invalid configuration: {string.Join("; ", exception.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures))}");
        }
        catch (IOException exception) when (exception.InnerException is SocketException || exception.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            return Fail($"cannot listen: {exception.Message}");
        }
        catch (FormatException exception) when (exception.StackTrace?.Contains("BindingAddress", StringComparison.Ordinal) == true)
        {
            return Fail($"invalid configuration: Urls: {exception.Message}");
        }
        catch (FormatException exception)
        {
            return Fail($"invalid configuration: {exception.Message}");
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("URL", StringComparison.OrdinalIgnoreCase)
            || exception.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            return Fail($"invalid configuration: Urls: {exception.Message}");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"baton: {message}");
        return ConfigurationError;
    }
}
