package run.getstack.sdk.testkit.internal.skills;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Skills, invocations and wallets; guarded by the state lock. */
final class SkillStore implements Store {
    final Map<String, SkillService.Skill> skills = new LinkedHashMap<>();
    final Map<String, SkillService.Invocation> invocations = new LinkedHashMap<>();
    final Map<String, Long> wallets = new HashMap<>();

    @Override
    public void reset() {
        skills.clear();
        invocations.clear();
        wallets.clear();
    }
}
