package run.getstack.sdk.testkit.internal.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. One server chain per operator, and each agent's client-chain position. */
final class AuditStore implements Store {
    /** Where an agent's client chain stands (§8.5). */
    static final class ClientChainState {
        long lastSeq;
        String lastHash = "";
        final Map<String, String> acceptedFingerprints = new LinkedHashMap<>();
    }

    final Map<String, List<AuditEntry>> chains = new HashMap<>();
    final Map<String, ClientChainState> clientChains = new HashMap<>();
    int exportPageSize = AuditExport.MAX_PAGE;

    List<AuditEntry> chain(String operatorId) {
        return chains.computeIfAbsent(operatorId, k -> new ArrayList<>());
    }

    @Override
    public void reset() {
        chains.clear();
        clientChains.clear();
        exportPageSize = AuditExport.MAX_PAGE;
    }
}
