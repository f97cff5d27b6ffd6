package org.genderalign.eval.data;

/**
 * One WinoGender sentence, with the parts of its {@code sentid}
 * ({@code occupation.participant.answer.gender.txt}) and the pronoun that filled its template.
 *
 * @param id the {@code sentid}
 * @param occupation the occupation (e.g. {@code technician})
 * @param participant the other participant, or {@code someone} for the bleached sentences
 * @param answer 0 = the pronoun refers to the occupation, 1 = to the participant
 * @param gender {@code male}, {@code female} or {@code neutral}
 * @param sentence the sentence
 * @param pronoun the pronoun in its template slot ({@code he/his/him}, {@code she/her/her},
 *     {@code they/their/them})
 */
public record WinoGenderSentence(String id, String occupation, String participant, int answer,
    String gender, String sentence, String pronoun) {

  /** Whether the other participant is the bleached {@code someone}. */
  public boolean someone() {
    return "someone".equals(participant);
  }
}
