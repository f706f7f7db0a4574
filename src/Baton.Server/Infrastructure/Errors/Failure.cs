using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server.Infrastructure.Errors;

/// <summary>
/// Why a command did not happen, in terms a client can act on. Becomes a ProblemDetails
/// answer (RFC 9457); <see cref="Errors"/> names the fields at fault.
/// </summary>
public sealed record Failure(int Status, string Title, string Detail, IDictionary<string, string[]>? Errors = null)
{
    public static Failure NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);
    public static Failure Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);
    public static Failure Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
    public static Failure TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Request too large", detail);

    public static Failure Unprocessable(string field, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, "Unprocessable request", detail,
            new Dictionary<string, string[]> { [field] = [detail] });

    public static Failure Invalid(IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, "Invalid request",
            "One or more fields are invalid: " + string.Join(", ", errors.Keys), errors);

    public static Failure Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public ProblemHttpResult ToResult()
    {
        var problem = Errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(Errors);
        problem.Status = Status;
        problem.Title = Title;
        problem.Detail = Detail;
        return TypedResults.Problem(problem);
    }
}
