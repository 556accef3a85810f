package dev.sqliteengine.postgres.server;

import java.util.regex.Pattern;

/**
 * Names and passwords written into SQL that cannot take parameters (CREATE ROLE, ALTER ROLE,
 * CREATE DATABASE). Names are limited to what needs no quoting, so that the name a test gives is
 * the name PostgreSQL stores.
 */
final class SqlText {

    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SqlText() {}

    /**
     * @param what what the name is for the error ("database name")
     * @return the name, checked
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    static String name(String what, String name) {
        if (name == null || !PLAIN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("The " + what + " '" + name + "' is not allowed: 1 to 63 of a-z, 0-9"
                    + " and '_', not starting with a digit");
        }
        return name;
    }

    /**
     * @return the password as a string literal (standard_conforming_strings is on: only quotes are doubled)
     * @throws IllegalArgumentException when it is empty or has a line break (initdb reads one line)
     */
    static String password(String password) {
        if (password == null || password.isEmpty() || password.contains("\n") || password.contains("\r")) {
            throw new IllegalArgumentException("A password must be one line of at least one character");
        }
        return "'" + password.replace("'", "''") + "'";
    }
}
