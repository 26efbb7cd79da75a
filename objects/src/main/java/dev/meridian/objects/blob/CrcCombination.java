package dev.meridian.objects.blob;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The CRC of A followed by B from the CRCs of A and B and B's length, for the bit-reflected CRCs S3 offers
 * (zlib's {@code crc32_combine}, for any width up to 64): how a multipart object's full-object checksum follows
 * from its parts'. A's CRC is multiplied by x^(8 * length of B) modulo the polynomial; the start and end
 * inversions cancel out.
 */
public final class CrcCombination {
    static final CrcCombination CRC32 = new CrcCombination(0xEDB88320L, 32);
    static final CrcCombination CRC32C = new CrcCombination(0x82F63B78L, 32);
    static final CrcCombination CRC64NVME = new CrcCombination(Crc64Nvme.POLYNOMIAL, 64);

    private final long polynomial;
    private final int bytes;
    /** x^0: the top bit of a reflected CRC of this width. */
    private final long one;
    /** {@code xToTwoToThe[k]}: x^(2^k) modulo the polynomial. */
    private final long[] xToTwoToThe = new long[64];

    private CrcCombination(long reflectedPolynomial, int width) {
        this.polynomial = reflectedPolynomial;
        this.bytes = width / 8;
        this.one = 1L << (width - 1);
        xToTwoToThe[0] = one >>> 1; // x^1
        for (int k = 1; k < xToTwoToThe.length; k++) {
            xToTwoToThe[k] = multiply(xToTwoToThe[k - 1], xToTwoToThe[k - 1]);
        }
    }

    /**
     * The CRC of parts one after another, from each part's CRC (big-endian bytes, as S3 gives checksums) and
     * length, in the same form.
     */
    public byte[] ofParts(List<byte[]> crcs, List<Long> lengths) {
        long crc = value(crcs.get(0));
        for (int i = 1; i < crcs.size(); i++) {
            crc = combine(crc, value(crcs.get(i)), lengths.get(i));
        }
        return Checksum.bigEndian(crc, bytes);
    }

    private long value(byte[] crc) {
        if (crc.length != bytes) {
            throw new IllegalArgumentException("a CRC of " + bytes + " bytes expected, got " + crc.length);
        }
        ByteBuffer in = ByteBuffer.wrap(crc);
        return bytes == 8 ? in.getLong() : Integer.toUnsignedLong(in.getInt());
    }

    long combine(long crcA, long crcB, long lengthB) {
        long shift = one;
        int k = 3; // a byte is x^(2^3)
        for (long n = lengthB; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                shift = multiply(xToTwoToThe[k & 63], shift);
            }
        }
        return multiply(shift, crcA) ^ crcB;
    }

    /** a * b modulo the polynomial, both bit-reflected. */
    private long multiply(long a, long b) {
        long product = 0;
        for (long bit = one; bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ polynomial : b >>> 1;
        }
        return product;
    }
}
