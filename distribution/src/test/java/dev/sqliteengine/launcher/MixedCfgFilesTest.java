package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Before FileInstall reads conf/, a file that mixes its typed syntax with plain lines is made typed throughout. */
class MixedCfgFilesTest {

    @TempDir
    Path conf;

    @Test
    void plainLinesOfAFileWithTypedLinesBecomeTypedStringsAndTheRestStaysAsItWas() throws Exception {
        Path cfg = write("dev.sqliteengine.engine-main.cfg", """
                # The default engine
                path = "/x/main.db"
                osgi.connection.max = I"7"
                name = "main"

                pragma.synchronous=FULL
                pragma.cache_size:  -3000
                pragma.temp_store MEMORY
                """);

        List<String> report = MixedCfgFiles.repair(conf);

        assertThat(cfg).hasContent("""
                # The default engine
                path = "/x/main.db"
                osgi.connection.max = I"7"
                name = "main"

                pragma.synchronous = "FULL"
                pragma.cache_size = "-3000"
                pragma.temp_store = "MEMORY"
                """);
        assertThat(report).singleElement().asString().contains("dev.sqliteengine.engine-main.cfg")
                .contains("pragma.synchronous, pragma.cache_size, pragma.temp_store");
    }

    @Test
    void aFileInOneSyntaxIsNotTouched() throws Exception {
        Path plain = write("dev.sqliteengine.engine-plain.cfg", "path=/x/plain.db\nosgi.connection.max=4\n");
        Path typed = write("dev.sqliteengine.engine-typed.cfg", "path = \"/x/typed.db\"\nosgi.connection.max = I\"4\"\n");
        FileTime before = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(plain, before);
        Files.setLastModifiedTime(typed, before);

        List<String> report = MixedCfgFiles.repair(conf);

        assertThat(report).isEmpty();
        assertThat(Files.getLastModifiedTime(plain)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(typed)).isEqualTo(before);
    }

    @Test
    void aPlainValueThatTheTwoSyntaxesEscapeDifferentlyIsLeftAsItIsAndNamed() throws Exception {
        String content = """
                osgi.connection.max = I"7"
                path=C:\\\\data\\\\main.db
                pragma.synchronous=FULL
                """;
        Path cfg = write("dev.sqliteengine.engine-win.cfg", content);

        List<String> report = MixedCfgFiles.repair(conf);

        assertThat(Files.readString(cfg)).contains("path=C:\\\\data\\\\main.db").contains("pragma.synchronous = \"FULL\"");
        assertThat(report).anySatisfy(line -> assertThat(line).contains("dev.sqliteengine.engine-win.cfg")
                .contains("line 2").contains("path"));
    }

    @Test
    void aFileWithContinuedLinesIsLeftAsItIsAndNamed() throws Exception {
        String content = "osgi.connection.max = I\"7\"\npath=/x/\\\n  main.db\n";
        Path cfg = write("dev.sqliteengine.engine-long.cfg", content);

        List<String> report = MixedCfgFiles.repair(conf);

        assertThat(Files.readString(cfg)).isEqualTo(content);
        assertThat(report).singleElement().asString().contains("dev.sqliteengine.engine-long.cfg");
    }

    @Test
    void filesOtherThanCfgFilesAreNotRead() throws Exception {
        Path other = write("notes.txt", "a = \"b\"\nc=d\n");

        assertThat(MixedCfgFiles.repair(conf)).isEmpty();
        assertThat(Files.readString(other)).isEqualTo("a = \"b\"\nc=d\n");
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(conf.resolve(name), content);
    }
}
