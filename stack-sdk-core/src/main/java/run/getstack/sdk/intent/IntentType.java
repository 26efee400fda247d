package run.getstack.sdk.intent;

/** What kind of action an intent claim asks to take ({@code intent_type}). */
public enum IntentType {
    /** A call to a provider through STACK's proxy: the target is the service, the action the HTTP method. */
    HTTP_CALL("http_call"),
    /** A skill invocation: the target is the skill. */
    SKILL_INVOCATION("skill_invocation"),
    /** A dispatch to another agent: the target is that agent. */
    A2A_DISPATCH("a2a_dispatch");

    private final String wireValue;

    IntentType(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * Returns the value STACK uses.
     *
     * @return for example {@code http_call}
     */
    public String wireValue() {
        return wireValue;
    }
}
