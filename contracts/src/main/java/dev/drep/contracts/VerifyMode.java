package dev.drep.contracts;

/**
 * What becomes of the model's findings that the verifier (a second LLM call that confirms or refutes each grounded
 * finding) did not confirm, from {@code .drep.yaml} {@code verify}. Refuted findings are dropped in every mode but
 * {@link #OFF}.
 */
public enum VerifyMode {
    /** unconfirmed findings are dropped with the refuted ones */
    DROP,
    /** unconfirmed findings go to a folded "low confidence" section of the summary (the default) */
    FOLD,
    /** no verifier call: every grounded finding is kept as it is */
    OFF
}
