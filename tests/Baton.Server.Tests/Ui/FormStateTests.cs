using Baton.Server.Infrastructure.Errors;
using Baton.Server.Ui.Projects;

namespace Baton.Server.Tests.Ui;

public sealed class FormStateTests
{
    [Fact]
    public void FieldErrors_GoToTheirFields_IncludingListItems_AndTheRestToTheAlert()
    {
        var form = new FormState();
        var failure = Failure.Invalid(new Dictionary<string, string[]>
        {
            ["title"] = ["'title' is required"],
            ["acceptanceCriteria[1]"] = ["'acceptanceCriteria[1]' is required"],
            ["other"] = ["something else"],
        });

        form.Show(failure, "title", "acceptanceCriteria");

        Assert.Equal("'title' is required", form["title"]);
        Assert.Equal("'acceptanceCriteria[1]' is required", form["acceptanceCriteria"]);
        Assert.Equal("true", form.Invalid("title"));
        Assert.Equal("false", form.Invalid("description"));
        Assert.Equal("something else", form.Alert);
    }

    [Fact]
    public void AFailureWithoutFields_IsTheAlert_AndClearForgetsEverything()
    {
        var form = new FormState();
        form.Show(Failure.Forbidden("the requester may not approve"), "reason");

        Assert.Equal("the requester may not approve", form.Alert);
        Assert.Null(form["reason"]);

        form.Clear();
        Assert.Null(form.Alert);
    }
}
