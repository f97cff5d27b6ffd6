package org.genderalign.cli.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.ChecksumVerifier;
import org.genderalign.core.dataroot.DataFile;
import org.genderalign.core.dataroot.DataRegistry;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataroot.VerifyResult;
import org.genderalign.core.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign data fetch}: downloads registered files from their original URLs into
 * {@code data/external/} (or {@code --dest}), verifying each sha256. Needs internet; on these
 * offline machines it fails at once with a message naming the file and the URL.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = "Download the registered files from their original URLs into data/external/ "
        + "(needs internet) and verify them.")
public final class DataFetchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--only", split = ",", paramLabel = "ID", description = "Fetch only these ids.")
  List<String> only;

  @Option(names = "--dest", paramLabel = "DIR", defaultValue = DataRoot.DEFAULT_RELATIVE,
      description = "Where to put the files (default: ${DEFAULT-VALUE}).")
  Path dest;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "Connect timeout per file (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DataRegistry registry = DataRegistry.load();
    DataRoot target = new DataRoot(dest, "--dest", registry, ChecksumVerifier.withDefaultCache());
    List<DataFile> files = only == null ? registry.files() : only.stream().map(registry::require).toList();
    HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(timeoutSeconds))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    int failed = 0;
    int fetched = 0;
    int present = 0;
    for (DataFile f : files) {
      if (target.verify(f).ok()) {
        present++;
        continue;
      }
      if (f.download() == null) {
        err.printf("error: %s: no direct download; %s%n", f.id(), f.howToObtain());
        failed++;
        continue;
      }
      Path p = target.pathOf(f);
      try {
        out.printf("fetching %s from %s%n", f.id(), f.download());
        out.flush();
        HttpRequest req = HttpRequest.newBuilder(URI.create(f.download()))
            .timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
          resp.body().close();
          throw new IOException("HTTP " + resp.statusCode());
        }
        try (InputStream in = resp.body()) {
          AtomicFiles.write(p, tmp -> Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING));
        }
        VerifyResult r = target.verify(f);
        if (!r.ok()) {
          err.println("error: downloaded file does not match the registry: " + r.message());
          failed++;
        } else {
          fetched++;
        }
      } catch (IOException e) {
        err.printf("error: cannot download %s from %s: %s (no internet access? copy the file to %s instead)%n",
            f.id(), f.download(), describe(e), p);
        failed++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    out.printf("fetch: %d already present, %d downloaded, %d failed (into %s)%n",
        present, fetched, failed, target.dir());
    out.flush();
    err.flush();
    return failed == 0 ? 0 : GenderAlignCli.EXIT_FAILURE;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
