package dev.sqliteengine.webconsole;

import java.util.Objects;

/**
 * A text input of an action's form on the Engines page.
 *
 * @param name the request parameter it posts
 * @param label what to type, shown as the input's tooltip and accessible name
 * @param value what it holds when the page is shown; "" for nothing
 */
record FormField(String name, String label, String value) {

    FormField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(value, "value");
    }
}
