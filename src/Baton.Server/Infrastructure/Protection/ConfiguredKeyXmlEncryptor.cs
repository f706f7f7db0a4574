using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Baton.Server.Infrastructure.Protection;

/// <summary>
/// Encrypts each key of the key ring with the configured <see cref="SecretsOptions.Key"/> (AES-256-GCM), so the
/// ring can sit next to the secrets (in the database) without a copy of the database being enough to read them.
/// </summary>
internal sealed class ConfiguredKeyXmlEncryptor(byte[] key) : IXmlEncryptor
{
    internal const string Element = "batonEncryptedKey";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes));
        }
        nonce.CopyTo(sealedBytes, 0);
        var element = new XElement(Element,
            new XAttribute("keyFingerprint", Fingerprint(key)),
            new XComment(" This key is encrypted with Secrets:Key (AES-256-GCM). "),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(ConfiguredKeyXmlDecryptor));
    }

    /// <summary>Names the configured key without revealing it, so a wrong key is told apart from damaged data.</summary>
    internal static string Fingerprint(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    internal static XElement Decrypt(XElement encrypted, byte[] key)
    {
        var fingerprint = (string?)encrypted.Attribute("keyFingerprint");
        if (fingerprint != Fingerprint(key))
        {
            throw new CryptographicException(
                $"this key of the key ring was encrypted with another Secrets:Key (fingerprint {fingerprint}, configured {Fingerprint(key)})");
        }
        var sealedBytes = Convert.FromBase64String((string?)encrypted.Element("value") ?? "");
        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

/// <summary>Made by Data Protection from the type name stored with each encrypted key; reads the key from the options.</summary>
internal sealed class ConfiguredKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = services.GetRequiredService<IOptions<SecretsOptions>>().Value.KeyMaterial()
            ?? throw new CryptographicException("the key ring's keys are encrypted with Secrets:Key, but no Secrets:Key is configured");
        return ConfiguredKeyXmlEncryptor.Decrypt(encryptedElement, key);
    }
}
