package run.getstack.sdk.agent;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** STACK's input rules for agent fields, shared by {@link AgentRegistration} and {@link AgentUpdate}. */
final class AgentRules {
    static final Pattern NAME = Pattern.compile(AgentRegistration.NAME_PATTERN);
    static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private AgentRules() {}

    static String name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.length() > AgentRegistration.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "name: at most " + AgentRegistration.MAX_NAME_LENGTH + " characters, was " + name.length());
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: must match " + AgentRegistration.NAME_PATTERN
                    + " (lower-case letters, digits, '-' and '_', starting and ending with a letter or digit)");
        }
        return name;
    }

    static String description(String description) {
        Objects.requireNonNull(description, "description");
        if (description.length() > AgentRegistration.MAX_DESCRIPTION_LENGTH) {
            throw new IllegalArgumentException("description: at most " + AgentRegistration.MAX_DESCRIPTION_LENGTH
                    + " characters, was " + description.length());
        }
        return description;
    }

    static String iconUrl(String iconUrl) {
        Objects.requireNonNull(iconUrl, "icon_url");
        if (iconUrl.isEmpty() || iconUrl.length() > AgentRegistration.MAX_ICON_URL_LENGTH) {
            throw new IllegalArgumentException(
                    "icon_url: must be 1 to " + AgentRegistration.MAX_ICON_URL_LENGTH + " characters");
        }
        return iconUrl;
    }

    static String profile(String profile) {
        Objects.requireNonNull(profile, "profile");
        if (!PROFILE.matcher(profile).matches()) {
            throw new IllegalArgumentException("profile: must be 1 to 64 characters of [a-z0-9_-]");
        }
        return profile;
    }

    /** A typed value the caller passes must be one this SDK knows: STACK checks the enum too. */
    static <T> T known(String field, T value, boolean known, @Nullable Object shown) {
        Objects.requireNonNull(value, field);
        if (!known) {
            throw new IllegalArgumentException(field + ": unknown value '" + shown + "'");
        }
        return value;
    }
}
