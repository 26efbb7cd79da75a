package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.RegionConfig;
import dev.meridian.core.RegionConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {
    @TempDir
    Path root;

    private LocalCluster.Builder standIns() {
        return LocalCluster.builder()
                .regions("us-east-1", "eu-west-1")
                .dataRoot(root)
                .mainClass(StandInRegion.class.getName())
                .jvmArgs(List.of("-Xmx64m"))
                .startTimeout(Duration.ofSeconds(30));
    }

    @Test
    void regionsReachEachOtherThroughTheirWanLinks() throws Exception {
        LocalCluster stopped;
        try (LocalCluster cluster = standIns().start()) {
            stopped = cluster;
            RegionConfig east = RegionConfigLoader.load(root.resolve("us-east-1/region.yaml"));
            RegionConfig west = cluster.config("eu-west-1");

            WanLink eastToWest = cluster.wan().link("us-east-1", "eu-west-1");
            assertThat(east.peers()).containsExactly(
                    new RegionConfig.Peer("eu-west-1", "127.0.0.1:" + eastToWest.address().getPort()));
            assertThat(eastToWest.target().getPort()).isEqualTo(west.peerPort());
            assertThat(eastToWest.status().forwardDelay()).isEqualTo(Duration.ofMillis(40));
            assertThat(east.accessKeys()).containsExactly(new RegionConfig.AccessKey("meridian", "meridian-local-secret"));
            assertThat(cluster.endpoint("eu-west-1").toString()).isEqualTo("http://127.0.0.1:" + west.httpPort());
            assertThat(Files.readString(cluster.logFile("us-east-1"))).contains("stand-in region us-east-1 up");
        }
        assertThat(stopped.isRunning("us-east-1") || stopped.isRunning("eu-west-1")).isFalse();
    }

    @Test
    void beforeStopStepsRunWhileEveryRegionIsStillUpAndAFailingOneStopsNothing() throws Exception {
        List<String> seen = new ArrayList<>();
        LocalCluster stopped;
        try (LocalCluster cluster = standIns().start()) {
            stopped = cluster;
            cluster.beforeStop(() -> seen.add("first, regions up: "
                    + (cluster.isRunning("us-east-1") && cluster.isRunning("eu-west-1"))));
            cluster.beforeStop(() -> {
                throw new IllegalStateException("a step that fails");
            });
            cluster.beforeStop(() -> seen.add("third"));
        }
        assertThat(seen).containsExactly("first, regions up: true", "third");
        assertThat(stopped.isRunning("us-east-1") || stopped.isRunning("eu-west-1")).isFalse();
    }

    @Test
    void killedRegionRestartsOnItsOwnPortsAndData() throws Exception {
        try (LocalCluster cluster = standIns().start()) {
            int port = cluster.endpoint("us-east-1").getPort();

            cluster.kill9("us-east-1");
            assertThat(cluster.isRunning("us-east-1")).isFalse();
            cluster.restart("us-east-1");

            assertThat(cluster.isRunning("us-east-1")).isTrue();
            assertThat(cluster.endpoint("us-east-1").getPort()).isEqualTo(port);
            assertThat(Files.readString(root.resolve("us-east-1/data/starts"))).isEqualTo("xx");
        }
    }

    @Test
    void aSkewedClockOutlivesARestartUntilPutBackAndNotANewStart() throws Exception {
        Path toldFile = root.resolve("us-east-1/data/clock-skew-file");
        Path skewFile;
        try (LocalCluster cluster = standIns().start()) {
            skewFile = Path.of(Files.readString(toldFile));
            assertThat(skewFile).doesNotExist();

            cluster.skewClock("us-east-1", Duration.ofMillis(-150));
            assertThat(skewFile).hasContent("-150");
            cluster.kill9("us-east-1");
            cluster.restart("us-east-1");
            assertThat(Path.of(Files.readString(toldFile))).isEqualTo(skewFile);
            assertThat(skewFile).hasContent("-150");

            cluster.skewClock("us-east-1", Duration.ZERO);
            assertThat(skewFile).hasContent("0");
            cluster.skewClock("us-east-1", Duration.ofMillis(200)); // left in place, as by a run stopped mid-fault
        }
        standIns().start().close();
        assertThat(skewFile).doesNotExist();
    }

    @Test
    void regionThatDiesAtStartupIsReportedWithItsLog() throws Exception {
        Files.createDirectories(root.resolve("eu-west-1/data"));
        Files.writeString(root.resolve("eu-west-1/data/refuse-to-start"), "");

        assertThatThrownBy(() -> standIns().start())
                .isInstanceOf(RegionStartException.class)
                .hasMessageContaining("region eu-west-1 exited with code 3")
                .hasMessageContaining("stand-in region eu-west-1 refusing to start");
    }

    @Test
    void fixedBasePortLaysOutPortsPredictably() throws Exception {
        PortPlan plan = PortPlan.of(8100, LocalCluster.DEFAULT_REGIONS);
        assertThat(plan.region("us-east-1")).isEqualTo(new PortPlan.RegionPorts(8101, 8111, 8191, 8201, 8211));
        assertThat(plan.region("ap-southeast-1")).isEqualTo(new PortPlan.RegionPorts(8103, 8113, 8193, 8203, 8213));
        assertThat(plan.link("eu-west-1", "ap-southeast-1")).isEqualTo(8133);
        assertThat(plan.link("us-east-1", "eu-west-1")).isEqualTo(8122);
    }
}
