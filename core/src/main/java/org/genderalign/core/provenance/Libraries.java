package org.genderalign.core.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions of every library on the class path, found from the jars themselves, so that
 * provenance never depends on someone remembering to add one by hand: each jar's Maven
 * {@code META-INF/maven/<group>/<artifact>/pom.properties} ({@code group:artifact → version});
 * a jar built without them (DJL, Lucene) by its module name ({@code Automatic-Module-Name},
 * {@code Bundle-SymbolicName}, else its file name without the version, e.g. {@code lucene-core})
 * and its manifest's version.
 * The project's own modules are left out (the build's version and git revision say those), and
 * the Java runtime is added as {@code java}. Read once per JVM.
 */
public final class Libraries {

  private static volatile Map<String, String> cached;

  private Libraries() {}

  /** Library → version, sorted, with {@code java} → the runtime version. */
  public static Map<String, String> versions() {
    Map<String, String> v = cached;
    if (v == null) {
      v = Collections.unmodifiableMap(scan(Libraries.class.getClassLoader()));
      cached = v;
    }
    return v;
  }

  static Map<String, String> scan(ClassLoader loader) {
    Map<String, String> out = new TreeMap<>();
    out.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    try {
      Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
      while (manifests.hasMoreElements()) {
        URL url = manifests.nextElement();
        try {
          URLConnection c = url.openConnection();
          if (c instanceof JarURLConnection jc) {
            jc.setUseCaches(false);
            try (JarFile jar = jc.getJarFile()) {
              describe(jar, out);
            }
          }
        } catch (IOException e) {
          // an unreadable jar is left out, never a failure of the tool writing provenance
        }
      }
    } catch (IOException e) {
      // as above
    }
    return out;
  }

  private static void describe(JarFile jar, Map<String, String> out) throws IOException {
    boolean found = false;
    Enumeration<JarEntry> entries = jar.entries();
    while (entries.hasMoreElements()) {
      JarEntry e = entries.nextElement();
      String n = e.getName();
      if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties")) {
        Properties p = new Properties();
        try (InputStream in = jar.getInputStream(e)) {
          p.load(in);
        }
        String g = p.getProperty("groupId");
        String a = p.getProperty("artifactId");
        String ver = p.getProperty("version");
        if (g != null && a != null && ver != null) {
          found = true;
          if (!g.equals("org.genderalign")) {
            out.put(g + ":" + a, ver);
          }
        }
      }
    }
    if (found) {
      return;
    }
    // Built without Maven metadata (Gradle: DJL, Lucene): the module name, else the jar's name
    // without its version; the manifest's version, else the one in the file name.
    String file = new java.io.File(jar.getName()).getName().replaceFirst("\\.jar$", "");
    Matcher fv = FILE_VERSION.matcher(file);
    String artifact = fv.matches() ? fv.group(1) : file;
    String fileVersion = fv.matches() ? fv.group(2) : null;
    Manifest m = jar.getManifest();
    Attributes a = m == null ? new Attributes() : m.getMainAttributes();
    String name = first(a.getValue("Automatic-Module-Name"), a.getValue("Bundle-SymbolicName"), artifact);
    String ver = first(a.getValue("Implementation-Version"), a.getValue("Bundle-Version"),
        a.getValue("Specification-Version"), fileVersion);
    if (name != null && ver != null && !name.startsWith("org.genderalign") && !artifact.startsWith("genderalign")
        && !isProjectModule(artifact)) {
      out.put(name.split(";")[0].trim(), ver.trim().split("\\s+")[0]);
    }
  }

  /** {@code lucene-core-9.12.1} → ({@code lucene-core}, {@code 9.12.1}). */
  private static final Pattern FILE_VERSION = Pattern.compile("(.+?)-(\\d.*)");

  private static boolean isProjectModule(String artifact) {
    return java.util.Set.of("bias-taxonomy", "dpo-trainer", "dataset-builder", "evaluation", "cli")
        .contains(artifact);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
