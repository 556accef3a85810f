/**
 * Settings: one engine's configuration turned into checked, typed values ({@code EngineSettings},
 * the pragma allow-list, the health, maintenance and statement log settings), the one place
 * where a configuration is validated. Values only: it opens nothing and depends on no other
 * package of the engine, nor on any driver.
 */
package dev.sqliteengine.impl.settings;
