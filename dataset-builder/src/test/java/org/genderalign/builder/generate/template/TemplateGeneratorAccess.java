package org.genderalign.builder.generate.template;

import java.util.Map;
import org.genderalign.builder.text.Rng;

/** Opens the template generator's package-private text helpers to tests in other packages. */
public final class TemplateGeneratorAccess {

  private TemplateGeneratorAccess() {}

  public static String fill(String template, Map<String, String> slots, Rng rng) {
    return TemplateGenerator.fill(template, slots, rng);
  }

  public static String decapitalize(String s) {
    return TemplateGenerator.decapitalize(s);
  }
}
