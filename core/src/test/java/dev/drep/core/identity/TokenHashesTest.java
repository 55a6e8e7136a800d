package dev.drep.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A token's hash is the SHA-256 that {@code sha256sum} prints, also when many requests hash at once. */
class TokenHashesTest {

    @Test
    void theHashIsTheHexSha256OfTheTokensUtf8Bytes() {
        // printf %s abc | sha256sum
        assertThat(TokenHashes.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // printf %s drep_é | sha256sum (UTF-8: é is two bytes)
        assertThat(TokenHashes.sha256("drep_\u00e9"))
                .isEqualTo("f8f1734041b97b24b075616bdde1f933ea14c7495fef3a9ddbc09ae24b9fbc5b");
    }

    @Test
    void threadsHashingAtOnceEachGetTheirTokensHash() throws Exception {
        List<String> tokens = IntStream.range(0, 64).mapToObj(i -> TokenHashes.newToken()).toList();
        List<String> alone = tokens.stream().map(TokenHashes::sha256).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                List<Future<String>> hashed = tokens.stream().map(t -> pool.submit(() -> TokenHashes.sha256(t)))
                        .toList();
                for (int i = 0; i < tokens.size(); i++) {
                    assertThat(hashed.get(i).get()).isEqualTo(alone.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
