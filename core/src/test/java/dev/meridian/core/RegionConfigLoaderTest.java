package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegionConfigLoaderTest {
    private static final String VALID = """
            region: us-east-1
            dataDir: /tmp/meridian/us-east-1
            httpPort: 8101
            peerPort: 9101
            peers:
              - name: eu-west-1
                address: 127.0.0.1:9202
            accessKeys:
              - accessKeyId: meridian
                secretAccessKey: secret
            fabric:
              maxLogEntries: 1000
              heartbeatInterval: 250ms
            """;

    @Test
    void readsAValidConfigWithDefaultsFilledIn() {
        RegionConfig config = RegionConfigLoader.parse(VALID);
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.peers()).containsExactly(new RegionConfig.Peer("eu-west-1", "127.0.0.1:9202"));
        assertThat(config.fabric().maxLogEntries()).isEqualTo(1000);
        assertThat(config.fabric().heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.fabric().batchSize()).isEqualTo(512);
    }

    @Test
    void writtenConfigReadsBackTheSame() {
        RegionConfig config = RegionConfigLoader.parse(VALID);
        assertThat(RegionConfigLoader.parse(RegionConfigLoader.write(config))).isEqualTo(config);
    }

    private static final String SQL = """
            sql:
              primary: eu-west-1
              serverPort: 8121
              superuser: meridian
              password: pw
            """;

    @Test
    void readsTheSqlSectionOfASecondary() {
        RegionConfig config = RegionConfigLoader.parse(
                VALID.replace("address: 127.0.0.1:9202", "address: 127.0.0.1:9202\n    sqlAddress: 127.0.0.1:9222") + SQL);
        assertThat(config.sqlSettings()).contains(new RegionConfig.SqlSettings("eu-west-1", 8121, "meridian", "pw"));
        assertThat(config.peers().get(0).sqlAddress()).isEqualTo("127.0.0.1:9222");
        assertThat(RegionConfigLoader.parse(RegionConfigLoader.write(config))).isEqualTo(config);
        assertThat(RegionConfigLoader.parse(VALID).sqlSettings()).isEmpty();
    }

    @Test
    void aSecondaryMustKnowWhereThePrimarysServerIs() {
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID + SQL))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("peers[0].sqlAddress: missing");
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID + SQL.replace("eu-west-1", "sa-east-1")))
                .hasMessageStartingWith("sql.primary: 'sa-east-1' is neither this region nor one of its peers");
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID + SQL.replace("eu-west-1", "us-east-1")
                .replace("8121", "70000")))
                .hasMessageStartingWith("sql.serverPort: 70000 is not a TCP port");
    }

    @Test
    void unknownFieldIsNamed() {
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID + "colour: blue\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("colour: unknown field; known fields are");
    }

    @Test
    void nestedUnknownFieldIsNamedWithItsPath() {
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("maxLogEntries", "maxLogEntry")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("fabric.maxLogEntry: unknown field");
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("address:", "adress:")))
                .hasMessageStartingWith("peers[0].address: missing; this field is required");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("peerPort: 9101\n", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("peerPort: missing; this field is required");
    }

    @Test
    void invalidValuesAreNamed() {
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("8101", "70000")))
                .hasMessageStartingWith("httpPort: 70000 is not a TCP port");
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("8101", "eighty")))
                .hasMessageStartingWith("httpPort:");
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("127.0.0.1:9202", "nowhere")))
                .hasMessageStartingWith("peers[0].address: 'nowhere' is not host:port");
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("name: eu-west-1", "name: us-east-1")))
                .hasMessageStartingWith("peers[0].name:");
        assertThatThrownBy(() -> RegionConfigLoader.parse(VALID.replace("heartbeatInterval: 250ms", "heartbeatInterval: soon")))
                .hasMessageStartingWith("fabric.heartbeatInterval:");
    }

    @Test
    void notYamlIsReportedAsSuch() {
        assertThatThrownBy(() -> RegionConfigLoader.parse("region: [unclosed"))
                .isInstanceOf(ConfigException.class);
    }
}
