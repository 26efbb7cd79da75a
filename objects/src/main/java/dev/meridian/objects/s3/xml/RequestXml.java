package dev.meridian.objects.s3.xml;

import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a request body into {@link XmlElement}s, refusing with MalformedXML anything that is not a plain, bounded
 * S3 document: bodies over a size, more elements than the document may hold, any DTD (so no entity expansion or
 * external entities), and elements outside the S3 namespace. The namespace itself is optional, as clients such as
 * MinIO's {@code mc} leave it out.
 */
final class RequestXml {
    private RequestXml() {}

    static S3Exception malformed() {
        return new S3Exception(S3Error.MALFORMED_XML);
    }

    static XmlElement read(byte[] body, String root, int maxBytes, int maxElements) {
        if (body.length > maxBytes) {
            throw malformed();
        }
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(new ByteArrayInputStream(body));
            XmlElement document = readDocument(reader, maxElements);
            if (!document.name().equals(root)) {
                throw malformed();
            }
            return document;
        } catch (S3Exception e) {
            throw e;
        } catch (XMLStreamException | RuntimeException e) {
            // Parsers signal some malformed input with runtime exceptions; a bad body must never answer 500.
            throw malformed();
        } finally {
            close(reader);
        }
    }

    /**
     * A fresh JDK factory for each body: the JDK's own implementation whatever else is on the class path, and no
     * shared mutable parser state between request threads.
     */
    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    private static XmlElement readDocument(XMLStreamReader reader, int maxElements) throws XMLStreamException {
        Deque<OpenElement> open = new ArrayDeque<>();
        int elements = 0;
        while (reader.hasNext()) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    String namespace = reader.getNamespaceURI();
                    boolean foreign = namespace != null && !namespace.isEmpty()
                            && !namespace.equals(XmlWriter.S3_NAMESPACE);
                    if (++elements > maxElements || foreign) {
                        throw malformed();
                    }
                    open.push(new OpenElement(reader.getLocalName()));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!open.isEmpty()) {
                        open.peek().text.append(reader.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlElement done = open.pop().close();
                    if (open.isEmpty()) {
                        return done;
                    }
                    open.peek().children.add(done);
                }
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE -> throw malformed();
                default -> { } // comments and processing instructions carry nothing
            }
        }
        throw malformed();
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // the body is in memory: nothing to release
            }
        }
    }

    private static final class OpenElement {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<XmlElement> children = new ArrayList<>();

        OpenElement(String name) {
            this.name = name;
        }

        /** Text mixed with child elements is not in any S3 schema; whitespace between children is layout. */
        XmlElement close() {
            if (children.isEmpty()) {
                return new XmlElement(name, text.toString(), children);
            }
            if (!text.toString().isBlank()) {
                throw malformed();
            }
            return new XmlElement(name, "", children);
        }
    }
}
