package run.getstack.sdk;

/**
 * The client's configuration is missing or invalid; thrown by {@code build()}. The message names the setting, for
 * example {@code "apiKey: not set, STACK_API_KEY is empty and ~/.stack/credentials.json does not exist"}, and never shows a secret value.
 */
public class StackConfigurationException extends StackException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message the setting and what is wrong with it, without any secret
     */
    public StackConfigurationException(String message) {
        super(message);
    }
}
