package dev.meridian.core.auth;

import dev.meridian.core.auth.AuthFailure.Reason;

/** The {@code Credential} value: access key id and the scope {@code date/region/service/aws4_request} it signs for. */
record CredentialScope(String accessKeyId, String date, String region, String service) {
    static final String TERMINATOR = "aws4_request";

    static CredentialScope parse(String credential) throws AuthException {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE, "Credential must have exactly 5 slash-delimited "
                    + "elements, e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        if (!parts[4].equals(TERMINATOR)) {
            throw new AuthException(Reason.INCOMPLETE_SIGNATURE,
                    "Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '" + parts[4] + "'.");
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
    }

    /** The scope as the string to sign carries it. */
    String scope() {
        return date + "/" + region + "/" + service + "/" + TERMINATOR;
    }
}
