package io.stardust.gateway.consumer;

import java.time.Duration;

/**
 * The consumer loop's settings: the topic, the batch limits ({@code gatewayBatchMaxRecords},
 * {@code gatewayBatchMaxBytes}, {@code gatewayBatchLinger}) and how long to wait before reading positions again
 * while MySQL is unavailable.
 */
public record LoopSettings(String topic, int maxRecords, int maxBytes, Duration linger, Duration retryBackoff) {
}
