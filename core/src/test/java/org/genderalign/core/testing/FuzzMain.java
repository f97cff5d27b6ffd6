package org.genderalign.core.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The child JVM of {@link FuzzCampaign}: runs ONE {@code @FuzzTest} method through the JUnit
 * platform (Jazzer fuzzes only one fuzz test per JVM, so each target gets its own process).
 * Args: class name, method name, parameter type names (e.g. {@code byte[]}), timeout (e.g.
 * {@code 25 s}). Exit 0 when the fuzz test passed (no finding), 1 otherwise.
 */
public final class FuzzMain {

  private FuzzMain() {}

  public static void main(String[] args) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(args[0], args[1], args[2]))
        // Jazzer turns JUnit's default timeout into libFuzzer's per-input -timeout, but JUnit
        // also applies it to the whole fuzzing run: so it is the budget plus a margin, and an
        // input that hangs is reported (a finding) instead of running forever.
        .configurationParameter("junit.jupiter.execution.timeout.default", args[3])
        .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    TestExecutionSummary s = summary.getSummary();
    s.printFailuresTo(new java.io.PrintWriter(System.out, true), 30);
    System.out.println("FUZZ-SUMMARY started=" + s.getTestsStartedCount()
        + " failed=" + s.getTotalFailureCount());
    System.out.flush();
    System.exit(s.getTestsStartedCount() > 0 && s.getTotalFailureCount() == 0 ? 0 : 1);
  }
}
