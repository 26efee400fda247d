package run.getstack.sdk.testkit.internal.operators;

import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.ModuleContext;

/** Internal, not for public use. Operators: no routes of their own (they are seeded), the API-key authenticator. */
public final class OperatorsModule implements FakeModule {
    @Override
    public void install(ModuleContext ctx) {
        OperatorStore store = ctx.state().register(new OperatorStore());
        ctx.services().provide(OperatorService.class, new OperatorService(ctx.state(), store));
    }
}
