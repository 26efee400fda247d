package run.getstack.sdk.testkit;

/**
 * Where a route of the fake comes from, as {@code docs/wire-protocol.md} marks it. Under {@link
 * FakeControlPlane.Builder#stackV1Only()} only {@link #EXTENSION} routes are switched off.
 */
public enum RouteOrigin {
    /** Documented in STACK's REST pages ({@code [STACK v1]}). */
    STACK_V1,
    /**
     * An operation STACK's live tools offer, at a REST path this project inferred ({@code [STACK live; path inferred
     * from <tool>]}).
     */
    STACK_LIVE_INFERRED,
    /** The project's own definition; the hosted STACK may answer 404 ({@code [Extension]}). */
    EXTENSION
}
