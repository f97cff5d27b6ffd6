package org.genderalign.cli.taxonomy;

import picocli.CommandLine.Command;

/** {@code genderalign taxonomy}: the GenderAlign bias categories and the classifier. */
@Command(name = "taxonomy", mixinStandardHelpOptions = true,
    description = "The gender-bias taxonomy (stereotypes, discriminatory_language, "
        + "occupational_educational_sexism, marginalized_gender_bias, none) and its classifier.",
    subcommands = {TaxonomyDescribeCommand.class, TaxonomyClassifyCommand.class,
        TaxonomyEvaluateCommand.class, TaxonomyAuditCommand.class, TaxonomyBenchCommand.class})
public final class TaxonomyCommand {}
