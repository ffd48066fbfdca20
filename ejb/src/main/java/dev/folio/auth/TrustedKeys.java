package dev.folio.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.RsaKeyUtil;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * The public keys tokens may be signed with, by key id: from a PEM public key or a JWKS file (the
 * MicroProfile JWT {@code mp.jwt.verify.publickey.location}), and the development issuer's own.
 * A JWKS URL is read (and re-read when an unknown key id shows up) by jose4j's {@link HttpsJwks}.
 */
final class TrustedKeys implements VerificationKeyResolver {

    private final Map<String, PublicKey> byId = new LinkedHashMap<>();
    private VerificationKeyResolver remote;

    void add(String keyId, PublicKey key) {
        byId.put(keyId, key);
    }

    boolean isEmpty() {
        return byId.isEmpty() && remote == null;
    }

    /** Adds what {@code location} holds: an http(s) URL of a JWKS, a JWKS file, or a PEM public key file. */
    void addLocation(String location) throws IOException, JoseException, GeneralSecurityException {
        if (location.startsWith("https://")) {
            remote = new HttpsJwksVerificationKeyResolver(new HttpsJwks(location));
            return;
        }
        if (location.startsWith("http://")) {
            // Anyone on the way could hand over keys of their own.
            throw new GeneralSecurityException("a JWKS URL must be https: " + location);
        }
        Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            for (JsonWebKey key : new JsonWebKeySet(text).getJsonWebKeys()) {
                if (key instanceof PublicJsonWebKey publicKey) {
                    add(
                            key.getKeyId() == null ? thumbprint(publicKey.getPublicKey()) : key.getKeyId(),
                            publicKey.getPublicKey());
                }
            }
        } else {
            PublicKey key = new RsaKeyUtil().fromPemEncoded(text);
            add(thumbprint(key), key);
        }
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        String keyId = jws.getKeyIdHeaderValue();
        PublicKey key = keyId == null ? null : byId.get(keyId);
        if (key == null && keyId == null && byId.size() == 1) {
            key = byId.values().iterator().next();
        }
        if (key != null) {
            return key;
        }
        if (remote != null) {
            return remote.resolveKey(jws, nestingContext);
        }
        throw new UnresolvableKeyException("no trusted key " + keyId);
    }

    /** The key's id: its RFC 7638 thumbprint. */
    static String thumbprint(PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a public key", e);
        }
    }

    /** A PKCS#8 PEM private RSA key ({@code openssl genpkey -algorithm RSA}). */
    static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static PublicKey publicHalf(PrivateKey key) throws GeneralSecurityException {
        if (!(key instanceof RSAPrivateCrtKey rsa)) {
            throw new GeneralSecurityException("an RSA private key with its public exponent is needed");
        }
        return KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    }
}
