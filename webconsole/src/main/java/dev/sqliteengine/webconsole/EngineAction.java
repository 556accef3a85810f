package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineStatus;
import java.util.List;
import java.util.Map;

/**
 * Something the Engines page can do to one running engine: one form per action in each engine's
 * row, with the action's {@link #fields} and a button; one POST with the action's {@link #id()}.
 * A new action is one more implementation, listed in {@link EnginesPage#ACTIONS}.
 */
interface EngineAction {

    /** @return the value of the form's {@code action} parameter; letters only */
    String id();

    /** @return the button's text */
    String label();

    /**
     * @param engine the engine whose row the form is in
     * @return the inputs the form has before its button, prefilled for this engine; none by default
     */
    default List<FormField> fields(EngineStatus engine) {
        return List.of();
    }

    /**
     * Runs the action.
     *
     * @param form the posted values of this action's {@link #fields}, by name; a field the
     *        request did not carry is absent
     * @return what happened, for the operator, prefixed with the engine's name
     * @throws dev.sqliteengine.api.EngineException when it fails; its message is shown
     */
    String run(Engine engine, Map<String, String> form);
}
