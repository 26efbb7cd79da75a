package dev.meridian.objects.s3.xml;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** A written document read back with the JDK's DOM parser, navigated by local names, for assertions. */
final class WrittenXml {
    final String raw;
    final Element root;

    private WrittenXml(String raw, Element root) {
        this.raw = raw;
        this.root = root;
    }

    static WrittenXml of(byte[] document) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(document)).getDocumentElement();
            return new WrittenXml(new String(document, StandardCharsets.UTF_8), root);
        } catch (Exception e) {
            throw new AssertionError("not well-formed: " + new String(document, StandardCharsets.UTF_8), e);
        }
    }

    String rootName() {
        return root.getLocalName();
    }

    String namespace() {
        return root.getNamespaceURI();
    }

    /** The local names of the root's children, in order. */
    List<String> childNames() {
        return names(root);
    }

    /** The local names of the children of the first element at {@code path}, in order. */
    List<String> childNames(String path) {
        return names(all(path).get(0));
    }

    /** The text of every element at {@code path}, e.g. {@code Contents/Key}. */
    List<String> texts(String path) {
        return all(path).stream().map(Node::getTextContent).toList();
    }

    String text(String path) {
        List<String> texts = texts(path);
        if (texts.size() != 1) {
            throw new AssertionError(texts.size() + " elements at " + path + " in " + raw);
        }
        return texts.get(0);
    }

    boolean has(String path) {
        return !all(path).isEmpty();
    }

    private List<Element> all(String path) {
        List<Element> current = List.of(root);
        for (String step : path.split("/")) {
            List<Element> next = new ArrayList<>();
            for (Element element : current) {
                for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
                    if (child instanceof Element e && e.getLocalName().equals(step)) {
                        next.add(e);
                    }
                }
            }
            current = next;
        }
        return current;
    }

    private static List<String> names(Element parent) {
        List<String> names = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                names.add(e.getLocalName());
            }
        }
        return names;
    }
}
