/**
 * The walkthrough of a pull request ({@code describe}): the prompt and the reading of the model's answer
 * ({@link dev.drep.core.describe.WalkthroughTask}), the call with cache and token ceiling
 * ({@link dev.drep.core.describe.WalkthroughEngine}), its safe markdown ({@link dev.drep.core.describe.WalkthroughMarkdown})
 * and its place in a pull request's description between drep's markers ({@link dev.drep.core.describe.DescriptionBlock}).
 */
package dev.drep.core.describe;
