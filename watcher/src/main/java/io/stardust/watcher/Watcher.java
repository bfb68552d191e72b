package io.stardust.watcher;

import io.stardust.AdvisoryLockTimeoutException;
import io.stardust.engine.db.AdvisoryLock;
import io.stardust.engine.db.ConnectionFactory;
import io.stardust.daemon.TickOutcome;
import io.stardust.daemon.Tickable;
import io.stardust.daemon.UuidV4;
import io.stardust.engine.event.EventLog;
import io.stardust.engine.slot.PageProvisioner;
import java.util.List;
import java.util.Map;

/**
 * The Watcher: each poll reads capacity and pending demand, plans, provisions a page under
 * {@code GET_LOCK('stardust_page_provision', watcherProvisionLockTimeoutSeconds)} when the plan says so, and runs
 * the cardinality and spread advisories this process claimed in {@code stardust_advisory_schedule}
 * ({@link SampleSchedule}): first the one-shot samples a promotion to {@code ready} asked for (the slot's
 * cardinality, {@code post_backfill}; its model's spread, {@code post_relocation}), then the periodic sample of
 * every slot and model when it is due. Every poll is followed by the full poll interval
 * (it returns {@code IDLE}), as upstream.
 *
 * <p>Provisioning: the page's DDL auto-commits; its registry rows and the schema-version bump commit in one
 * transaction ({@link PageProvisioner}). The plan is made before the lock is taken (accepted race: at worst one
 * redundant page). Another session holding the lock is reported as {@code lock_contention} and nothing is
 * provisioned; any other provisioning failure logs {@code provision_failed} and ends the daemon (exit 1).
 *
 * <p>Events (source {@code watcher}, one correlation id per poll): {@code poll_started}, {@code provision_started},
 * {@code provision_complete}, {@code provision_failed} (error), {@code lock_contention} (warning),
 * {@code poll_complete}. The samplers log under source {@code registry}.
 */
public final class Watcher implements Tickable, AutoCloseable {
    public static final String SOURCE = "watcher";
    public static final List<String> EVENTS = List.of("poll_started", "poll_complete", "provision_started",
            "provision_complete", "provision_failed", "lock_contention");

    private final RegistryReads registry;
    private final PageProvisioner provisioner;
    private final ConnectionFactory lockConnections;
    private final String lockNamespace;
    private final CardinalitySampler cardinality;
    private final SpreadSampler spread;
    private final SampleSchedule schedule;
    private final WatcherConfig config;
    private final EventLog events = new EventLog(SOURCE);
    private final UuidV4 uuids = UuidV4.secure();
    private final AutoCloseable ownedResources;

    public Watcher(RegistryReads registry, PageProvisioner provisioner, ConnectionFactory lockConnections,
                   String lockNamespace, CardinalitySampler cardinality, SpreadSampler spread, SampleSchedule schedule,
                   WatcherConfig config, AutoCloseable ownedResources) {
        this.registry = registry;
        this.provisioner = provisioner;
        this.lockConnections = lockConnections;
        this.lockNamespace = lockNamespace;
        this.cardinality = cardinality;
        this.spread = spread;
        this.schedule = schedule;
        this.config = config;
        this.ownedResources = ownedResources;
    }

    /** What the poll did: {@code provisioned}, {@code lock_contention} or {@code no_action}. */
    public String poll() throws Exception {
        String correlationId = uuids.next();
        CapacitySnapshot capacity = registry.capacity();
        Map<String, Integer> demand = registry.pendingDemand();
        ProvisioningPlan plan = ProvisioningPlanner.plan(capacity, demand, config.capacityThreshold());
        events.info("poll_started", "correlation_id", correlationId,
                "free_ratio", round4(plan.globalFreeRatio()), "threshold", config.capacityThreshold(),
                "total_slots", capacity.totalSlots(), "free_slots", capacity.freeSlots(),
                "pages_inspected", capacity.pagesInspected(),
                "usable_free_slots", plan.usableFree(), "usable_total_slots", plan.usableTotal(),
                "usable_free_ratio", round4(plan.usableFreeRatio()),
                "pending_demand", plan.pendingDemand(), "pending_waiters", plan.pendingWaiters(),
                "starved_families", plan.starvedFamilies());
        String action = plan.provision() ? provision(plan, correlationId) : "no_action";
        for (SampleSchedule.Claim claim : schedule.claimOneShots()) {
            if (claim.slotAssignmentId() != null) {
                cardinality.sampleSlot(claim.slotAssignmentId());
            } else {
                spread.sample("post_relocation", null, claim.modelId());
            }
            schedule.done(claim);
        }
        if (schedule.claimPeriodic()) {
            cardinality.samplePeriodic();
            spread.sample("periodic", null, null);
        }
        events.info("poll_complete", "correlation_id", correlationId, "action", action, "trigger", plan.trigger());
        return action;
    }

    @Override
    public TickOutcome tick() throws Exception {
        poll();
        return TickOutcome.IDLE;
    }

    private String provision(ProvisioningPlan plan, String correlationId) throws Exception {
        AdvisoryLock lock;
        try {
            lock = AdvisoryLock.acquire(lockConnections, WatcherConfig.PROVISION_LOCK,
                    config.provisionLockTimeoutSeconds(), lockNamespace);
        } catch (AdvisoryLockTimeoutException e) {
            events.warning("lock_contention", "correlation_id", correlationId, "message", e.getMessage(),
                    "lock", WatcherConfig.PROVISION_LOCK, "timeout_seconds", config.provisionLockTimeoutSeconds());
            return "lock_contention";
        }
        try (lock) {
            events.info("provision_started", "correlation_id", correlationId, "trigger", plan.trigger(),
                    "indexed_columns", plan.indexedColumns(), "pending_demand", plan.pendingDemand());
            int pageId;
            try {
                pageId = provisioner.provision(plan.indexedColumns());
            } catch (RuntimeException e) {
                events.error("provision_failed", e, "correlation_id", correlationId, "message", String.valueOf(e.getMessage()),
                        "indexed_columns", plan.indexedColumns());
                throw e;
            }
            events.info("provision_complete", "correlation_id", correlationId, "page_id", pageId,
                    "trigger", plan.trigger(), "indexed_columns", plan.indexedColumns(),
                    "pending_demand", plan.pendingDemand());
            return "provisioned";
        }
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    @Override
    public void close() throws Exception {
        if (ownedResources != null) {
            ownedResources.close();
        }
    }
}
