package run.getstack.sdk.mission;

/**
 * The work done under a mission by {@link Missions#run(MissionRequest, MissionBody)}.
 *
 * @param <E> the checked exception the body may throw
 */
@FunctionalInterface
public interface MissionBody<E extends Exception> {
    /**
     * Does the work; set the output with {@link Mission#output(Object)}.
     *
     * @param mission the started mission
     * @throws E when the work fails (the mission is then revoked and the exception rethrown)
     */
    void run(Mission mission) throws E;
}
