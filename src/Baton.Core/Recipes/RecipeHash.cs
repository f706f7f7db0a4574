using System.Security.Cryptography;
using System.Text;

namespace Baton.Core.Recipes;

/// <summary>The content hash that runs and approvals are bound to: SHA-256 of the text as written.</summary>
public static class RecipeHash
{
    public static string Compute(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
    }
}
