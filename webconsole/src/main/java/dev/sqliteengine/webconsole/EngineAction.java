package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.Engine;

/**
 * Something the Engines page can do to one running engine: one button per action in each engine's
 * row, one POST with the action's {@link #id()}. A new action (a backup, once the API has one) is
 * one more implementation, listed in {@link EnginesPage#ACTIONS}.
 */
interface EngineAction {

    /** @return the value of the form's {@code action} parameter; letters only */
    String id();

    /** @return the button's text */
    String label();

    /**
     * Runs the action.
     *
     * @return what happened, for the operator, prefixed with the engine's name
     * @throws dev.sqliteengine.api.EngineException when it fails; its message is shown
     */
    String run(Engine engine);
}
