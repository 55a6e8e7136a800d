package dev.drep.core.platform;

/** A URL or token use that a {@link HostRule} refuses; the message names the rule and the setting that governs it. */
public class HostRuleViolation extends RuntimeException {
    private final HostRule rule;

    public HostRuleViolation(HostRule rule, String message) {
        super("refused by the " + rule.title() + " rule: " + message);
        this.rule = rule;
    }

    /** @return the rule that refused */
    public HostRule rule() {
        return rule;
    }
}
