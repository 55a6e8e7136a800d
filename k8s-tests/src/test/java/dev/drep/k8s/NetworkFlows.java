package dev.drep.k8s;

import static dev.drep.k8s.Manifests.name;
import static dev.drep.k8s.Manifests.selects;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evaluates rendered NetworkPolicies the way Kubernetes does (a pod selected by a policy of a
 * type is isolated for that direction, and is then admitted only what the union of the rules of
 * those policies allows; a connection needs both the source's egress and the destination's
 * ingress), over a fixed set of endpoints and ports, and lists the allowed connections.
 */
final class NetworkFlows {

    /**
     * Something that sends or receives: a pod (namespace, namespace labels, pod labels) or an
     * address outside the cluster. Every endpoint has an IP, for ipBlock peers.
     */
    record Endpoint(String name, String namespace, Map<String, String> namespaceLabels,
            Map<String, String> podLabels, String ip, boolean release) {

        boolean inCluster() {
            return namespace != null;
        }

        static Endpoint pod(String name, String namespace, Map<String, String> podLabels, String ip) {
            return new Endpoint(name, namespace, Map.of("kubernetes.io/metadata.name", namespace), podLabels, ip, false);
        }

        static Endpoint external(String name, String ip) {
            return new Endpoint(name, null, Map.of(), Map.of(), ip, false);
        }
    }

    /** A port to try: number and protocol. */
    record Port(int number, String protocol) {
        @Override
        public String toString() {
            return number + "/" + protocol;
        }
    }

    private final List<JsonNode> policies;
    private final String policyNamespace;

    NetworkFlows(List<JsonNode> policies, String policyNamespace) {
        this.policies = policies;
        this.policyNamespace = policyNamespace;
    }

    /** "from -> to:port/protocol" for every allowed connection between distinct endpoints where at least one belongs to the release. */
    Set<String> allowed(List<Endpoint> endpoints, List<Port> ports) {
        Set<String> allowed = new TreeSet<>();
        for (Endpoint from : endpoints) {
            for (Endpoint to : endpoints) {
                if (from == to || !(from.release() || to.release())) {
                    continue;
                }
                for (Port port : ports) {
                    if (admits(from, to, port)) {
                        allowed.add(flow(from.name(), to.name(), port));
                    }
                }
            }
        }
        return allowed;
    }

    static String flow(String from, String to, Port port) {
        return from + " -> " + to + ":" + port;
    }

    boolean admits(Endpoint from, Endpoint to, Port port) {
        return direction(from, "Egress", "egress", "to", to, port) && direction(to, "Ingress", "ingress", "from", from, port);
    }

    /** Whether {@code subject}'s policies of one direction let it talk to {@code peer} on {@code port}. */
    private boolean direction(Endpoint subject, String type, String rulesField, String peersField, Endpoint peer, Port port) {
        if (!subject.inCluster()) {
            return true;
        }
        List<JsonNode> isolating = new ArrayList<>();
        for (JsonNode policy : policies) {
            if (namespaceOf(policy).equals(subject.namespace())
                    && selects(policy.path("spec").path("podSelector"), subject.podLabels())
                    && policyTypes(policy).contains(type)) {
                isolating.add(policy);
            }
        }
        if (isolating.isEmpty()) {
            return true;
        }
        for (JsonNode policy : isolating) {
            for (JsonNode rule : policy.path("spec").path(rulesField)) {
                if (portMatches(rule.path("ports"), port) && peersMatch(rule.path(peersField), peer, namespaceOf(policy))) {
                    return true;
                }
            }
        }
        return false;
    }

    private String namespaceOf(JsonNode policy) {
        String ns = policy.path("metadata").path("namespace").asText("");
        return ns.isEmpty() ? policyNamespace : ns;
    }

    private static Set<String> policyTypes(JsonNode policy) {
        Set<String> types = new TreeSet<>();
        JsonNode declared = policy.path("spec").path("policyTypes");
        if (declared.isArray() && !declared.isEmpty()) {
            declared.forEach(t -> types.add(t.asText()));
        } else {
            // the API server's defaulting: Ingress always, Egress when egress rules exist
            types.add("Ingress");
            if (policy.path("spec").has("egress")) {
                types.add("Egress");
            }
        }
        return types;
    }

    private static boolean portMatches(JsonNode ports, Port port) {
        if (ports.isMissingNode() || ports.isNull() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            String protocol = p.path("protocol").asText("TCP");
            if (!protocol.equals(port.protocol())) {
                continue;
            }
            if (!p.has("port")) {
                return true;
            }
            if (!p.path("port").isInt()) {
                throw new AssertionError("named ports are not evaluated here: " + p);
            }
            int first = p.path("port").asInt();
            int last = p.path("endPort").asInt(first);
            if (port.number() >= first && port.number() <= last) {
                return true;
            }
        }
        return false;
    }

    private static boolean peersMatch(JsonNode peers, Endpoint endpoint, String policyNamespace) {
        if (peers.isMissingNode() || peers.isNull() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (peerMatches(peer, endpoint, policyNamespace)) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(JsonNode peer, Endpoint endpoint, String policyNamespace) {
        if (peer.has("ipBlock")) {
            JsonNode block = peer.path("ipBlock");
            if (!inCidr(endpoint.ip(), block.path("cidr").asText())) {
                return false;
            }
            for (JsonNode except : block.path("except")) {
                if (inCidr(endpoint.ip(), except.asText())) {
                    return false;
                }
            }
            return true;
        }
        if (!endpoint.inCluster()) {
            return false;
        }
        boolean namespaceOk = peer.has("namespaceSelector")
                ? selects(peer.path("namespaceSelector"), endpoint.namespaceLabels())
                : endpoint.namespace().equals(policyNamespace);
        boolean podOk = !peer.has("podSelector") || selects(peer.path("podSelector"), endpoint.podLabels());
        return namespaceOk && podOk;
    }

    static boolean inCidr(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (network.length != address.length) {
                return false;
            }
            int prefix = Integer.parseInt(parts[1]);
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }

    /** The release's pods as endpoints, named by their component label. */
    static List<Endpoint> releasePods(Manifests.Rendered rendered, String namespace) {
        List<Endpoint> pods = new ArrayList<>();
        int[] n = {1};
        rendered.workloads().forEach(w -> {
            Map<String, String> labels = Manifests.podLabels(w);
            String component = labels.getOrDefault("app.kubernetes.io/component", name(w));
            pods.add(new Endpoint(component, namespace, Map.of("kubernetes.io/metadata.name", namespace), labels,
                    "10.244.0." + n[0]++, true));
        });
        return pods;
    }
}
