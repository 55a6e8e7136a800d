package dev.drep.gateway.budget;

import dev.drep.gateway.GatewayConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * What tokens cost, per provider model name, in USD per million tokens. A model that is not listed
 * costs nothing (local models), so cost budgets only ever count listed models.
 */
public final class PriceTable {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Costs are kept to the nano-dollar, as the database stores them. */
    private static final int SCALE = 9;

    private final Map<String, BigDecimal[]> prices = new HashMap<>();

    /**
     * @param prices {@code drep.gateway.prices}
     */
    public PriceTable(Map<String, GatewayConfig.Price> prices) {
        prices.forEach((model, price) -> this.prices.put(model,
                new BigDecimal[] {price.inputPerMillion(), price.outputPerMillion()}));
    }

    /**
     * @param model            the provider's model name
     * @param promptTokens     prompt tokens
     * @param completionTokens completion tokens
     * @return the cost in USD
     */
    public BigDecimal cost(String model, long promptTokens, long completionTokens) {
        BigDecimal[] price = model == null ? null : prices.get(model);
        if (price == null) {
            return BigDecimal.ZERO.setScale(SCALE);
        }
        return price[0].multiply(BigDecimal.valueOf(promptTokens))
                .add(price[1].multiply(BigDecimal.valueOf(completionTokens)))
                .divide(MILLION, SCALE, RoundingMode.HALF_UP);
    }
}
