package io.stardust.gateway.health;

import java.time.Duration;

/** Where the status endpoint listens and how it probes (from the gateway's configuration). */
public record StatusSettings(String bindAddress, int port, String kafkaBootstrap, Duration probeInterval,
                             Duration probeTimeout) {
}
