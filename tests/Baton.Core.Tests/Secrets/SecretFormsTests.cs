using Baton.Core.Secrets;

namespace Baton.Core.Tests.Secrets;

public sealed class SecretFormsTests
{
    [Fact]
    public void Of_GivesTheRawValue_AndItsEncodings()
    {
        var forms = SecretForms.Of("pa ss/wörd+\"1\"");

        Assert.Contains("pa ss/wörd+\"1\"", forms);
        Assert.Contains("cGEgc3Mvd8O2cmQrIjEi", forms);
        Assert.Contains("pa%20ss%2Fw%C3%B6rd%2B%221%22", forms);
        Assert.Contains("pa+ss%2Fw%C3%B6rd%2B%221%22", forms);
        Assert.Contains("pa ss/w\\u00F6rd\\u002B\\u00221\\u0022", forms);
        Assert.Contains("pa ss/wörd+\\\"1\\\"", forms);
    }

    [Fact]
    public void Of_GivesEachFormOnce_AndNoneShorterThanTheMinimum()
    {
        var forms = SecretForms.Of("abcdef\n==\nghijkl\n}");

        Assert.Equal(forms.Count, forms.Distinct(StringComparer.Ordinal).Count());
        Assert.All(forms, form => Assert.True(form.Length >= SecretMasker.MinimumLength, form));
        Assert.Contains("abcdef", forms);
        Assert.Contains("ghijkl", forms);
        Assert.DoesNotContain("==", forms);
    }

    [Fact]
    public void Of_GivesOnlyTheRawLines_NotTheirEncodings()
    {
        var forms = SecretForms.Of("first-line\r\nsecond-line");

        Assert.Contains("first-line", forms);
        Assert.Contains("second-line", forms);
        Assert.DoesNotContain(Convert.ToBase64String("first-line"u8), forms);
    }
}
