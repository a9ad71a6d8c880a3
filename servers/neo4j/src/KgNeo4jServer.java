import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j Community as a server: the embedded database with its Bolt and HTTP connectors
 * (and Neo4j Browser, when its jar is on the classpath), configured by neo4j.conf.
 *
 * Usage: java -cp 'lib/*:classes' KgNeo4jServer HOME CONF
 * HOME holds the data (HOME/data) and logs (HOME/logs); the password of the user
 * neo4j is read from the environment variable NEO4J_PASSWORD and set on every start.
 * Prints "kg-neo4j ready" once Bolt accepts logins; stops cleanly on SIGTERM.
 */
public final class KgNeo4jServer {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        Path conf = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("kg-neo4j: set NEO4J_PASSWORD (8 characters or more)");
            System.exit(2);
        }
        Files.createDirectories(home);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "kg-neo4j-shutdown"));
        setPassword(dbms, password);
        System.out.println("kg-neo4j ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The user neo4j gets NEO4J_PASSWORD, with no change required at first login. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException error) {
            if (!String.valueOf(error.getMessage()).contains("cannot be the same")) {
                throw error;
            }
        }
    }
}
