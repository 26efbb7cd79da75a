package dev.meridian.objects.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.objects.ObjectEntry;
import dev.meridian.objects.ObjectListing;
import dev.meridian.objects.ObjectVersion;
import dev.meridian.objects.VersionListing;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingXmlTest {
    private static final Owner OWNER = new Owner("owner-id", "owner");
    private static final long MODIFIED = 1_255_369_830_000L;

    static ObjectVersion version(String versionId, long size, Map<String, String> checksums) {
        return new ObjectVersion(versionId, false, "blob-" + versionId, size, "9b2cf535f27731c974343645a3985328",
                List.of(), MODIFIED, "eu", Map.of(), Map.of(), checksums, null, null);
    }

    private static ObjectEntry current(String key) {
        return new ObjectEntry(key, version("null", 10, Map.of()), true);
    }

    private static ListQuery query(String prefix, String delimiter, String marker, boolean urlEncoding) {
        return new ListQuery("photos", prefix, delimiter, 2, marker, urlEncoding);
    }

    @Test
    void listObjectsV2EchoesTheRequestAndCountsKeysAndPrefixes() {
        ObjectListing page = new ObjectListing(List.of(current("2024/a.jpg")), List.of("2024/raw/"), true,
                "2024/raw/");

        WrittenXml xml = WrittenXml.of(ListingXml.listObjectsV2(query("2024/", "/", "2024/0", false), "token-1",
                false, page, "token-2", OWNER));

        assertThat(xml.rootName()).isEqualTo("ListBucketResult");
        assertThat(xml.namespace()).isEqualTo(XmlWriter.S3_NAMESPACE);
        assertThat(xml.childNames()).containsExactly("Name", "Prefix", "Delimiter", "MaxKeys", "KeyCount",
                "IsTruncated", "ContinuationToken", "NextContinuationToken", "StartAfter", "Contents",
                "CommonPrefixes");
        assertThat(xml.text("KeyCount")).isEqualTo("2");
        assertThat(xml.text("MaxKeys")).isEqualTo("2");
        assertThat(xml.text("IsTruncated")).isEqualTo("true");
        assertThat(xml.text("ContinuationToken")).isEqualTo("token-1");
        assertThat(xml.text("NextContinuationToken")).isEqualTo("token-2");
        assertThat(xml.text("StartAfter")).isEqualTo("2024/0");
        assertThat(xml.childNames("Contents")).containsExactly("Key", "LastModified", "ETag", "Size", "StorageClass");
        assertThat(xml.text("Contents/LastModified")).isEqualTo("2009-10-12T17:50:30.000Z");
        assertThat(xml.text("Contents/ETag")).isEqualTo("\"9b2cf535f27731c974343645a3985328\"");
        assertThat(xml.text("Contents/StorageClass")).isEqualTo("STANDARD");
        assertThat(xml.text("CommonPrefixes/Prefix")).isEqualTo("2024/raw/");
    }

    @Test
    void listObjectsV2LeavesOutWhatTheRequestDidNotSend() {
        WrittenXml xml = WrittenXml.of(ListingXml.listObjectsV2(query("", "", "", false), "", false,
                new ObjectListing(List.of(), List.of(), false, null), "", OWNER));

        assertThat(xml.childNames()).containsExactly("Name", "Prefix", "MaxKeys", "KeyCount", "IsTruncated");
        assertThat(xml.text("Prefix")).isEmpty();
        assertThat(xml.text("KeyCount")).isEqualTo("0");
    }

    @Test
    void listObjectsV2NamesOwnersOnlyWhenFetchOwnerAndChecksumAlgorithmsWhenStored() {
        ObjectEntry entry = new ObjectEntry("k", version("null", 1, Map.of("SHA256", "x", "CRC32", "y")), true);
        ObjectListing page = new ObjectListing(List.of(entry), List.of(), false, "k");

        WrittenXml plain = WrittenXml.of(ListingXml.listObjectsV2(query("", "", "", false), "", false, page, "",
                OWNER));
        WrittenXml withOwner = WrittenXml.of(ListingXml.listObjectsV2(query("", "", "", false), "", true, page, "",
                OWNER));

        assertThat(plain.has("Contents/Owner")).isFalse();
        assertThat(withOwner.text("Contents/Owner/ID")).isEqualTo("owner-id");
        assertThat(plain.texts("Contents/ChecksumAlgorithm")).containsExactly("CRC32", "SHA256");
        assertThat(plain.text("Contents/ChecksumType")).isEqualTo("FULL_OBJECT");
    }

    @Test
    void listObjectsV1NamesOwnersAndGivesNextMarkerOnlyForATruncatedDelimitedListing() {
        ObjectListing truncated = new ObjectListing(List.of(current("a"), current("b")), List.of(), true, "b");

        WrittenXml delimited = WrittenXml.of(ListingXml.listObjects(query("", "/", "", false), truncated, OWNER));
        WrittenXml undelimited = WrittenXml.of(ListingXml.listObjects(query("", "", "", false), truncated, OWNER));

        assertThat(delimited.childNames()).containsExactly("Name", "Prefix", "Marker", "NextMarker", "MaxKeys",
                "Delimiter", "IsTruncated", "Contents", "Contents");
        assertThat(delimited.text("NextMarker")).isEqualTo("b");
        assertThat(delimited.text("Marker")).isEmpty();
        assertThat(undelimited.has("NextMarker")).isFalse();
        assertThat(undelimited.texts("Contents/Owner/DisplayName")).containsExactly("owner", "owner");
    }

    @Test
    void keysWithMarkupAndControlCharactersAreEscapedAndReadBackIntact() {
        String key = "a&b<c>\"d'\r\n\t e";
        ObjectListing page = new ObjectListing(List.of(current(key)), List.of(key + "/"), false, key);

        WrittenXml xml = WrittenXml.of(ListingXml.listObjects(query(key, "", key, false), page, OWNER));

        assertThat(xml.raw).contains("<Key>a&amp;b&lt;c&gt;&quot;d'&#13;&#10;&#9; e</Key>");
        assertThat(xml.text("Contents/Key")).isEqualTo(key);
        assertThat(xml.text("Prefix")).isEqualTo(key);
        assertThat(xml.text("Marker")).isEqualTo(key);
        assertThat(xml.text("CommonPrefixes/Prefix")).isEqualTo(key + "/");
    }

    @Test
    void controlCharactersXml10CannotCarryAreWrittenAsReferencesLikeS3() {
        ObjectListing page = new ObjectListing(List.of(current("a\u0001b\u001Fc\uFFFF")), List.of(), false, "");

        String raw = new String(ListingXml.listObjects(query("", "", "", false), page, OWNER),
                StandardCharsets.UTF_8);

        assertThat(raw).contains("<Key>a&#1;b&#31;c&#65535;</Key>");
    }

    @Test
    void urlEncodingEncodesKeysPrefixesMarkersAndDelimiterButNotTokens() {
        String key = "dir/a b+c&\u0001é";
        ObjectListing page = new ObjectListing(List.of(current(key)), List.of("dir/x y/"), true, key);

        WrittenXml xml = WrittenXml.of(ListingXml.listObjectsV2(query("dir/", " ", "dir/ 0", true), "a b", false,
                page, "c+d", OWNER));

        assertThat(xml.text("Contents/Key")).isEqualTo("dir/a%20b%2Bc%26%01%C3%A9");
        assertThat(URLDecoder.decode(xml.text("Contents/Key"), StandardCharsets.UTF_8)).isEqualTo(key);
        assertThat(xml.text("CommonPrefixes/Prefix")).isEqualTo("dir/x%20y/");
        assertThat(xml.text("Delimiter")).isEqualTo("%20");
        assertThat(xml.text("StartAfter")).isEqualTo("dir/%200");
        assertThat(xml.text("ContinuationToken")).isEqualTo("a b");
        assertThat(xml.text("NextContinuationToken")).isEqualTo("c+d");
        assertThat(xml.text("EncodingType")).isEqualTo("url");
    }

    @Test
    void listVersionsInterleavesVersionsAndDeleteMarkersInListingOrder() {
        ObjectVersion marker = ObjectVersion.deleteMarker("v3", MODIFIED, "eu");
        List<ObjectEntry> entries = List.of(new ObjectEntry("a", marker, true),
                new ObjectEntry("a", version("v2", 5, Map.of("CRC32C", "z")), false),
                new ObjectEntry("b", version("null", 7, Map.of()), true));
        VersionListing page = new VersionListing(entries, List.of("c/"), true, "b", "null");

        WrittenXml xml = WrittenXml.of(ListingXml.listVersions(query("", "/", "", false), "", page, OWNER));

        assertThat(xml.rootName()).isEqualTo("ListVersionsResult");
        assertThat(xml.childNames()).containsExactly("Name", "Prefix", "KeyMarker", "VersionIdMarker",
                "NextKeyMarker", "NextVersionIdMarker", "MaxKeys", "Delimiter", "IsTruncated", "DeleteMarker",
                "Version", "Version", "CommonPrefixes");
        assertThat(xml.childNames("DeleteMarker"))
                .containsExactly("Key", "VersionId", "IsLatest", "LastModified", "Owner");
        assertThat(xml.childNames("Version")).containsExactly("Key", "VersionId", "IsLatest", "LastModified", "ETag",
                "Size", "StorageClass", "ChecksumAlgorithm", "ChecksumType", "Owner");
        assertThat(xml.texts("Version/VersionId")).containsExactly("v2", "null");
        assertThat(xml.texts("Version/IsLatest")).containsExactly("false", "true");
        assertThat(xml.text("DeleteMarker/IsLatest")).isEqualTo("true");
        assertThat(xml.text("NextKeyMarker")).isEqualTo("b");
        assertThat(xml.text("NextVersionIdMarker")).isEqualTo("null");
    }

    @Test
    void listVersionsLeavesOutNextMarkersWhenNotTruncatedAndEchoesEncodingTypeLast() {
        VersionListing page = new VersionListing(List.of(new ObjectEntry("a b", version("v1", 1, Map.of()), true)),
                List.of(), false, "", "");

        WrittenXml xml = WrittenXml.of(ListingXml.listVersions(query("", "", "a", true), "v0", page, OWNER));

        assertThat(xml.childNames()).containsExactly("Name", "Prefix", "KeyMarker", "VersionIdMarker", "MaxKeys",
                "IsTruncated", "Version", "EncodingType");
        assertThat(xml.text("VersionIdMarker")).isEqualTo("v0");
        assertThat(xml.text("Version/Key")).isEqualTo("a%20b");
    }
}
