package io.stardust.bench.versus;

/**
 * One contender's drain, as a row of the result table.
 *
 * @param contender   what ran
 * @param parallelism partitions and consumers (gateway instances, Connect tasks, connections), as the table shows them
 * @param partitions  partitions of the topic drained (1 for the raw insert): the peer row with as many is the reference
 * @param records     rows it had to make durable
 * @param window      the measured window, first to last durable row
 * @param writer      the process that did the contender's client-side work (its CPU is the "writer" column)
 * @param loadAtStart the 1/5/15-minute load averages when it started
 */
record Outcome(String contender, String parallelism, int partitions, long records, DrainMeter.Window window, String writer,
               String loadAtStart) {
}
