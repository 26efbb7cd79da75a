package dev.meridian.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigningKeysTest {
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final CredentialScope DOCS_SCOPE = new CredentialScope("AKIDEXAMPLE", "20120215", "us-east-1", "iam");
    // AWS's published example of the derived key for that secret and scope.
    static final String DOCS_KEY = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d";

    @Test
    void derivesTheKeyAwsDocumentsForItsExampleScope() {
        assertThat(HexFormat.of().formatHex(new SigningKeys().signingKey(SECRET, DOCS_SCOPE))).isEqualTo(DOCS_KEY);
    }

    @Test
    void keysStayCorrectOnceTheCacheOverflows() {
        SigningKeys keys = new SigningKeys();
        keys.signingKey(SECRET, DOCS_SCOPE);
        for (int i = 0; i < 3000; i++) {
            keys.signingKey("secret-" + i, DOCS_SCOPE);
        }

        assertThat(HexFormat.of().formatHex(keys.signingKey(SECRET, DOCS_SCOPE))).isEqualTo(DOCS_KEY);
    }
}
