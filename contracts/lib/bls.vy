# pragma version ~=0.4.3
"""
@title bls
@custom:contract-name bls
@license MIT
@notice BLS12-381 on chain with the EIP-2537 precompiles: hash to G2 and
        signature verification in the beacon chain's ciphersuite
        (`BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`), the check that an
        uncompressed point is the one a compressed key or signature names,
        and Lagrange interpolation of threshold public key shares in G1.
@dev Stateless module: import it and call `bls._verify_deposit(...)`,
     `bls._shares_agree(...)`, ... (no `uses:` / `initializes:` needed).
     Points are passed uncompressed, in the EIP-2537 encoding (G1: x ‖ y,
     G2: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, each Fp element as 64 bytes big endian,
     its top 16 bytes zero), next to the compressed bytes of the deposit data
     (ZCash serialisation: 48-byte keys, 96-byte signatures). Decompressing
     on chain would need a square root in Fp or Fp2 (a MODEXP with a 381-bit
     exponent, twice for Fp2, plus the checks); instead the caller, who has
     the key off chain, passes both, and `_check_g1_encoding` /
     `_check_g2_encoding` make sure the point is exactly the one the bytes
     name: compression flag set, infinity flag clear, same x, and the sign
     flag equal to "y > (p - 1) / 2" (for Fp2: of y.c1, or of y.c0 when y.c1
     is zero). The encoding check binds bytes only; whether the point is on
     the curve and in the prime-order subgroup is checked by the precompile
     that consumes it: per EIP-2537, PAIRING_CHECK and the MSMs check both
     (and reject any coordinate not below p), the ADDs check the curve only,
     and the map precompiles clear the cofactor, so their output is in the
     subgroup. Every user-supplied point here goes through PAIRING_CHECK
     (`_verify`) or G1MSM (`_interpolate_g1`), or is compared byte for byte
     with an MSM output (`_shares_agree`).
"""

from contracts.lib import constants
from contracts.lib import ssz

# EIP-2537 and EIP-198 precompile addresses.
MODEXP: constant(address) = 0x0000000000000000000000000000000000000005
G1MSM: constant(address) = 0x000000000000000000000000000000000000000C
G2ADD: constant(address) = 0x000000000000000000000000000000000000000d
PAIRING_CHECK: constant(address) = 0x000000000000000000000000000000000000000F
MAP_FP2_TO_G2: constant(address) = 0x0000000000000000000000000000000000000011

G1_POINT_LENGTH: constant(uint256) = 128
G2_POINT_LENGTH: constant(uint256) = 256
FP_LENGTH: constant(uint256) = 64
# The most shares a cluster has (and so the most points of one G1MSM).
MAX_SHARES: constant(uint256) = constants.MAX_CLUSTER_SIZE
# Longest message `_hash_to_g2` takes; the beacon chain signs 32-byte roots.
MAX_MESSAGE_LENGTH: constant(uint256) = 256
# One G1MSM pair: the point, then its 32-byte scalar, as 5 words.
MSM_PAIR_WORDS: constant(uint256) = 5

# The base field modulus p, as the 64-byte MODEXP modulus.
P_BYTES: constant(
    Bytes[64]
) = x"000000000000000000000000000000001a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
# (p - 1) / 2 as two words (high, low) of its 64-byte encoding: the ZCash sign
# flag of y is set if and only if y is above it. Both are checked against
# py_ecc's compression by tests/lib (both signs of random points).
HALF_P_HIGH: constant(uint256) = 17282741772707453034394598013407712875
HALF_P_LOW: constant(
    uint256
) = 80617075055843030690312053732876818007934237714091801549733396136033114903893
# The subgroup order r (0x73eda753...00000001): scalars and Lagrange
# coefficients live mod r.
R: constant(
    uint256
) = 52435875175126190479447740508185965837690552500527637822603658699938581184513
# -G1: the negated G1 generator (y replaced by p - y), for the pairing check.
NEG_G1: constant(
    Bytes[128]
) = x"0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca"

# RFC 9380 `DST_prime` of the beacon chain's ciphersuite: the domain
# separation tag followed by its length, one byte (43 = 0x2b = "+").
DST_PRIME: constant(Bytes[44]) = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_+"
# `expand_message_xmd` output: 2 field elements of Fp2 (4 Fp), 64 bytes each
# (L = ceil((381 + 128) / 8)), in 8 sha256 blocks.
XMD_BLOCKS: constant(uint256) = 8
# I2OSP(256, 2) ‖ I2OSP(0, 1): the output length, then b_0's counter.
XMD_LENGTH_AND_ZERO: constant(Bytes[3]) = x"010000"
# The three 32-byte MODEXP length words for "base 64 bytes, exponent 1 byte,
# modulus 64 bytes" (hash_to_field's reduction mod p).
REDUCE_HEADER: constant(
    Bytes[96]
) = x"000000000000000000000000000000000000000000000000000000000000004000000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000040"
# ZCash flags, in the top 3 bits of the first byte (here of the first 16
# bytes read as a number).
FLAGS_SHIFT: constant(uint256) = 125
COMPRESSION_FLAG: constant(uint256) = 4
INFINITY_FLAG: constant(uint256) = 2
SIGN_FLAG: constant(uint256) = 1


@internal
@pure
def _expand_message_xmd(
    message: Bytes[MAX_MESSAGE_LENGTH],
) -> bytes32[XMD_BLOCKS]:
    """
    @dev RFC 9380 `expand_message_xmd` with sha256, the ciphersuite's DST
         and `len_in_bytes = 256`: `b_0 = H(Z_pad ‖ msg ‖ 0x0100 ‖ 0x00 ‖
         DST_prime)`, `b_1 = H(b_0 ‖ 0x01 ‖ DST_prime)`, `b_i = H((b_0 xor
         b_(i-1)) ‖ i ‖ DST_prime)`.
    @param message The message.
    @return bytes32[8] The 256 uniform bytes, as b_1 .. b_8.
    """
    b0: uint256 = convert(
        sha256(
            concat(
                empty(bytes32),
                empty(bytes32),
                message,
                XMD_LENGTH_AND_ZERO,
                DST_PRIME,
            )
        ),
        uint256,
    )
    blocks: bytes32[XMD_BLOCKS] = empty(bytes32[XMD_BLOCKS])
    previous: uint256 = 0
    for i: uint256 in range(XMD_BLOCKS):
        blocks[i] = sha256(
            concat(
                convert(b0 ^ previous, bytes32),
                slice(convert(i + 1, bytes32), 31, 1),
                DST_PRIME,
            )
        )
        previous = convert(blocks[i], uint256)
    return blocks


@internal
@view
def _reduce(high: bytes32, low: bytes32) -> Bytes[64]:
    """
    @dev The 64-byte number `high ‖ low` mod p, with MODEXP (exponent 1):
         the result is already the 64-byte EIP-2537 encoding of Fp.
    @param high The first 32 bytes.
    @param low The last 32 bytes.
    @return Bytes[64] The element of Fp.
    """
    return raw_call(
        MODEXP,
        concat(REDUCE_HEADER, high, low, x"01", P_BYTES),
        max_outsize=FP_LENGTH,
        is_static_call=True,
    )


@internal
@view
def _hash_to_g2(message: Bytes[MAX_MESSAGE_LENGTH]) -> Bytes[256]:
    """
    @dev RFC 9380 `hash_to_curve` for G2 in the beacon chain's ciphersuite:
         `hash_to_field` gives u0, u1 in Fp2 (each Fp element a 64-byte
         block of `expand_message_xmd` reduced mod p, c0 first), then
         `clear_cofactor(map(u0) + map(u1))`. EIP-2537's MAP_FP2_TO_G2 runs
         the simplified SWU map, the 3-isogeny and the cofactor clearing;
         clearing the cofactor of each point before adding them gives the
         same point (it is a multiplication by h_eff, a homomorphism).
    @param message The message.
    @return Bytes[256] The G2 point, uncompressed (EIP-2537).
    """
    blocks: bytes32[XMD_BLOCKS] = self._expand_message_xmd(message)
    q0: Bytes[256] = raw_call(
        MAP_FP2_TO_G2,
        concat(
            self._reduce(blocks[0], blocks[1]),
            self._reduce(blocks[2], blocks[3]),
        ),
        max_outsize=G2_POINT_LENGTH,
        is_static_call=True,
    )
    q1: Bytes[256] = raw_call(
        MAP_FP2_TO_G2,
        concat(
            self._reduce(blocks[4], blocks[5]),
            self._reduce(blocks[6], blocks[7]),
        ),
        max_outsize=G2_POINT_LENGTH,
        is_static_call=True,
    )
    return raw_call(
        G2ADD,
        concat(q0, q1),
        max_outsize=G2_POINT_LENGTH,
        is_static_call=True,
    )


@internal
@view
def _verify(
    pubkey: Bytes[128],
    message: Bytes[MAX_MESSAGE_LENGTH],
    signature: Bytes[256],
) -> bool:
    """
    @dev BLS `CoreVerify` in the minimal-pubkey-size variant: whether
         e(pk, H(m)) · e(-G1, sig) == 1, with one PAIRING_CHECK. The
         precompile checks that both points are on their curves and in the
         subgroup (KeyValidate's and signature_to_point's checks), and
         reverts the call otherwise; the identity key is refused here, since
         the pairing cannot tell it apart (e(0, H(m)) · e(-G1, 0) == 1).
    @notice Reverts on a point of the wrong length, the identity public key,
            or a point off its curve or outside the subgroup.
    @param pubkey The public key, uncompressed (128 bytes, EIP-2537).
    @param message The signed message.
    @param signature The signature, uncompressed (256 bytes, EIP-2537).
    @return bool True if the signature is valid.
    """
    assert len(pubkey) == G1_POINT_LENGTH, "bls: G1 point must be 128 bytes"
    assert len(signature) == G2_POINT_LENGTH, "bls: G2 point must be 256 bytes"
    # The identity is all zeros in EIP-2537.
    assert (
        convert(extract32(pubkey, 0), uint256)
        | convert(extract32(pubkey, 32), uint256)
        | convert(extract32(pubkey, 64), uint256)
        | convert(extract32(pubkey, 96), uint256)
        != 0
    ), "bls: public key is the identity"
    success: bool = False
    result: Bytes[32] = b""
    success, result = raw_call(
        PAIRING_CHECK,
        concat(pubkey, self._hash_to_g2(message), NEG_G1, signature),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert success, "bls: point not on curve or not in subgroup"
    return convert(result, uint256) == 1


@internal
@view
def _verify_deposit(
    pubkey: Bytes[48],
    pubkey_point: Bytes[128],
    withdrawal_credentials: Bytes[32],
    amount_gwei: uint64,
    signature: Bytes[96],
    signature_point: Bytes[256],
    fork_version: bytes4,
) -> bool:
    """
    @dev The consensus specs' `is_valid_deposit_signature`: the compressed
         key and signature of the deposit data must be the given points,
         and the signature must verify over the deposit message's signing
         root under the deposit domain of `fork_version`.
    @notice Reverts on an encoding mismatch or an invalid point (see
            `_check_g1_encoding`, `_check_g2_encoding`, `_verify`).
    @param pubkey The 48-byte compressed public key of the deposit data.
    @param pubkey_point The same key, uncompressed (128 bytes, EIP-2537).
    @param withdrawal_credentials The 32-byte withdrawal credentials.
    @param amount_gwei The deposit amount in gwei.
    @param signature The 96-byte compressed signature of the deposit data.
    @param signature_point The same signature, uncompressed (256 bytes).
    @param fork_version The 4-byte genesis fork version of the network.
    @return bool True if the deposit signature is valid.
    """
    self._check_g1_encoding(pubkey_point, pubkey)
    self._check_g2_encoding(signature_point, signature)
    root: bytes32 = ssz._deposit_signing_root(
        pubkey, withdrawal_credentials, amount_gwei, fork_version
    )
    return self._verify(pubkey_point, concat(root, b""), signature_point)


@internal
@pure
def _is_large(point: Bytes[256], offset: uint256) -> bool:
    """
    @dev Whether the Fp element at `offset` of a point is above (p - 1) / 2,
         comparing its two words (high, low).
    @param point The uncompressed point.
    @param offset Where the 64-byte element starts.
    @return bool True if the element is above (p - 1) / 2.
    """
    high: uint256 = convert(extract32(point, offset), uint256)
    low: uint256 = convert(extract32(point, offset + 32), uint256)
    return high > HALF_P_HIGH or (high == HALF_P_HIGH and low > HALF_P_LOW)


@internal
@pure
def _check_flags_and_x(
    point: Bytes[256], compressed: Bytes[96], x_offset: uint256, sign: bool
):
    """
    @dev Checks the ZCash flags of the first 48 bytes of `compressed` (set
         compression flag, clear infinity flag, sign flag equal to `sign`)
         and that those bytes, flags masked, are the Fp element at
         `x_offset` of `point`.
    @notice Reverts with the first mismatch.
    @param point The uncompressed point.
    @param compressed The compressed bytes.
    @param x_offset Where the matching 64-byte element of `point` starts.
    @param sign Whether the point's y is the larger one (its sign flag).
    """
    head: uint256 = convert(convert(slice(compressed, 0, 16), bytes16), uint256)
    flags: uint256 = head >> FLAGS_SHIFT
    assert flags & COMPRESSION_FLAG != 0, "bls: compression flag not set"
    assert flags & INFINITY_FLAG == 0, "bls: point at infinity"
    assert (
        head & ((1 << FLAGS_SHIFT) - 1)
        == convert(extract32(point, x_offset), uint256)
        and extract32(compressed, 16) == extract32(point, x_offset + 32)
    ), "bls: x does not match"
    assert (flags & SIGN_FLAG != 0) == sign, "bls: sign flag does not match"


@internal
@pure
def _check_g1_encoding(point: Bytes[128], compressed: Bytes[48]):
    """
    @dev Checks that `compressed` is the ZCash compression of `point`: x,
         the flags, and the sign of y (y > (p - 1) / 2). The identity is
         refused (a key or share is never the identity).
    @notice Reverts on a wrong length or on the first mismatch.
    @param point The point, uncompressed (128 bytes, EIP-2537).
    @param compressed The 48-byte compressed point.
    """
    assert len(point) == G1_POINT_LENGTH, "bls: G1 point must be 128 bytes"
    assert len(compressed) == 48, "bls: compressed G1 must be 48 bytes"
    self._check_flags_and_x(
        point, compressed, 0, self._is_large(point, FP_LENGTH)
    )


@internal
@pure
def _check_g2_encoding(point: Bytes[256], compressed: Bytes[96]):
    """
    @dev Checks that `compressed` is the ZCash compression of `point`:
         x.c1 (with the flags) then x.c0, and the sign of y, which is the
         sign of y.c1, or of y.c0 when y.c1 is zero. The identity is refused.
    @notice Reverts on a wrong length or on the first mismatch.
    @param point The point, uncompressed (256 bytes, EIP-2537).
    @param compressed The 96-byte compressed point.
    """
    assert len(point) == G2_POINT_LENGTH, "bls: G2 point must be 256 bytes"
    assert len(compressed) == 96, "bls: compressed G2 must be 96 bytes"
    # y.c1 starts at 192, y.c0 at 128.
    y_c1_zero: bool = extract32(point, 192) == empty(bytes32) and extract32(
        point, 224
    ) == empty(bytes32)
    sign: bool = self._is_large(point, 192)
    if y_c1_zero:
        sign = self._is_large(point, 128)
    # x.c1 (at 64) carries the flags; x.c0 (at 0) follows in bytes 48..96.
    self._check_flags_and_x(point, compressed, FP_LENGTH, sign)
    assert convert(
        convert(slice(compressed, 48, 16), bytes16), uint256
    ) == convert(extract32(point, 0), uint256) and extract32(
        compressed, 64
    ) == extract32(
        point, 32
    ), "bls: x does not match"


@internal
@view
def _inverse(a: uint256) -> uint256:
    """
    @dev a^(r - 2) mod r with MODEXP: the inverse of a non-zero a mod r
         (Fermat). MODEXP prices a 32-byte base and modulus with a 255-bit
         exponent at about 1 400 gas, cheaper than an extended Euclid loop
         in the EVM, and general in the share indices (no table to trust).
    @param a The number, non-zero mod r.
    @return uint256 Its inverse mod r.
    """
    return convert(
        raw_call(
            MODEXP,
            concat(
                convert(32, bytes32),
                convert(32, bytes32),
                convert(32, bytes32),
                convert(a, bytes32),
                convert(R - 2, bytes32),
                convert(R, bytes32),
            ),
            max_outsize=32,
            is_static_call=True,
        ),
        uint256,
    )


@internal
@view
def _inverse_denominators(
    indices: DynArray[uint256, MAX_SHARES],
) -> DynArray[uint256, MAX_SHARES]:
    """
    @dev The inverses mod r of the Lagrange denominators
         d_i = prod_(j != i) (x_i - x_j), which do not depend on where the
         polynomial is evaluated. One MODEXP for all of them (Montgomery's
         batch inversion: invert the product, then peel it with the prefix
         products). A repeated index makes a zero denominator, which MODEXP
         would "invert" to 0: refused.
    @notice Reverts if two indices are equal, or one is not below r.
    @param indices The distinct share indices x_i (1-based).
    @return DynArray[uint256, 7] 1 / d_i mod r, in the order of indices.
    """
    for x: uint256 in indices:
        assert x < R, "bls: share index not below r"
    denominators: DynArray[uint256, MAX_SHARES] = []
    prefixes: DynArray[uint256, MAX_SHARES] = []
    product: uint256 = 1
    for i: uint256 in range(len(indices), bound=MAX_SHARES):
        denominator: uint256 = 1
        for j: uint256 in range(len(indices), bound=MAX_SHARES):
            if j != i:
                denominator = uint256_mulmod(
                    denominator,
                    uint256_addmod(indices[i], R - indices[j], R),
                    R,
                )
        assert denominator != 0, "bls: share indices not distinct"
        denominators.append(denominator)
        prefixes.append(product)
        product = uint256_mulmod(product, denominator, R)
    # inverse = 1 / (d_0 ... d_(k-1)); walking down, 1 / d_i = inverse ·
    # (d_0 ... d_(i-1)), then inverse becomes 1 / (d_0 ... d_(i-1)).
    inverse: uint256 = self._inverse(product)
    inverses: DynArray[uint256, MAX_SHARES] = denominators
    for step: uint256 in range(len(indices), bound=MAX_SHARES):
        i: uint256 = len(indices) - 1 - step
        inverses[i] = uint256_mulmod(inverse, prefixes[i], R)
        inverse = uint256_mulmod(inverse, denominators[i], R)
    return inverses


@internal
@pure
def _coefficients_at(
    indices: DynArray[uint256, MAX_SHARES],
    inverse_denominators: DynArray[uint256, MAX_SHARES],
    at: uint256,
) -> DynArray[uint256, MAX_SHARES]:
    """
    @dev The Lagrange coefficients at `at`, mod r:
         l_i = prod_(j != i) (at - x_j) / d_i.
    @param indices The distinct share indices x_i, each below r.
    @param inverse_denominators Their `_inverse_denominators`.
    @param at Where to evaluate the polynomial (0 for the group key).
    @return DynArray[uint256, 7] The coefficients, in the order of indices.
    """
    coefficients: DynArray[uint256, MAX_SHARES] = []
    for i: uint256 in range(len(indices), bound=MAX_SHARES):
        numerator: uint256 = inverse_denominators[i]
        for j: uint256 in range(len(indices), bound=MAX_SHARES):
            if j != i:
                numerator = uint256_mulmod(
                    numerator, uint256_addmod(at % R, R - indices[j], R), R
                )
        coefficients.append(numerator)
    return coefficients


@internal
@view
def _g1_msm(
    points: DynArray[Bytes[128], MAX_SHARES],
    scalars: DynArray[uint256, MAX_SHARES],
) -> Bytes[128]:
    """
    @dev sum_i scalars[i] · points[i] with one G1MSM, which checks that every
         point is on the curve and in the subgroup. The input is gathered as
         words and cut out of their ABI encoding (a Vyper `concat` in a loop
         cannot grow a fixed-size buffer).
    @notice Reverts on an empty list, lists of different lengths, a point of
            the wrong length, or a point off the curve or outside the
            subgroup.
    @param points The points, uncompressed (128 bytes each, EIP-2537).
    @param scalars Their scalars.
    @return Bytes[128] The sum, uncompressed.
    """
    assert len(points) != 0 and len(points) == len(
        scalars
    ), "bls: points and scalars differ"
    words: DynArray[bytes32, MAX_SHARES * MSM_PAIR_WORDS] = []
    for i: uint256 in range(len(points), bound=MAX_SHARES):
        point: Bytes[128] = points[i]
        assert len(point) == G1_POINT_LENGTH, "bls: G1 point must be 128 bytes"
        words.append(extract32(point, 0))
        words.append(extract32(point, 32))
        words.append(extract32(point, 64))
        words.append(extract32(point, 96))
        words.append(convert(scalars[i], bytes32))
    # abi_encode(DynArray) = offset word ‖ length word ‖ the words.
    success: bool = False
    result: Bytes[128] = b""
    success, result = raw_call(
        G1MSM,
        slice(abi_encode(words), 64, 32 * len(words)),
        max_outsize=G1_POINT_LENGTH,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert success, "bls: point not on curve or not in subgroup"
    return result


@internal
@view
def _interpolate_g1(
    shares: DynArray[Bytes[128], MAX_SHARES],
    indices: DynArray[uint256, MAX_SHARES],
    at: uint256,
) -> Bytes[128]:
    """
    @dev Lagrange interpolation in the exponent: the public polynomial's
         value at `at` from t public shares, sum_i l_i(at) · share_i, with
         one G1MSM. At 0 it is the group public key.
    @notice Reverts as `_inverse_denominators` and `_g1_msm` do.
    @param shares The public key shares, uncompressed (EIP-2537).
    @param indices Their share indices (distinct, 1-based).
    @param at Where to evaluate (0 for the group key).
    @return Bytes[128] The interpolated point, uncompressed.
    """
    return self._g1_msm(
        shares,
        self._coefficients_at(indices, self._inverse_denominators(indices), at),
    )


@internal
@view
def _shares_agree(
    shares: DynArray[Bytes[128], MAX_SHARES],
    threshold: uint256,
    group_key: Bytes[128],
) -> bool:
    """
    @dev Whether every `threshold` of the n public shares (indices 1..n)
         interpolate to `group_key`. Checking all C(n, t) subsets would take
         35 MSMs for n = 7, t = 4; it is equivalent to check that the first t
         interpolate to the key and that every further share k lies on
         their polynomial (interpolating the first t at k gives share k):
         then all n shares lie on one polynomial of degree below t, which
         any t of them determine, so every subset gives its value at 0.
         Conversely, if two t-subsets differed there would be no such
         polynomial. That is n - t + 1 MSMs of t points, and one MODEXP
         for all the Lagrange denominators. The later shares
         are compared byte for byte with an MSM output, so they are valid
         points whenever they match.
    @notice Reverts unless 1 <= threshold <= n <= 7, and as `_g1_msm` does.
    @param shares The public key shares of indices 1..n, uncompressed.
    @param threshold The threshold t.
    @param group_key The group public key, uncompressed (EIP-2537).
    @return bool True if every t of the shares give `group_key`.
    """
    n: uint256 = len(shares)
    assert 1 <= threshold and threshold <= n, "bls: threshold out of range"
    first: DynArray[Bytes[128], MAX_SHARES] = []
    indices: DynArray[uint256, MAX_SHARES] = []
    for i: uint256 in range(threshold, bound=MAX_SHARES):
        first.append(shares[i])
        indices.append(i + 1)
    inverses: DynArray[uint256, MAX_SHARES] = self._inverse_denominators(
        indices
    )
    if (
        self._g1_msm(first, self._coefficients_at(indices, inverses, 0))
        != group_key
    ):
        return False
    for k: uint256 in range(threshold, n, bound=MAX_SHARES):
        if (
            self._g1_msm(first, self._coefficients_at(indices, inverses, k + 1))
            != shares[k]
        ):
            return False
    return True


@internal
@view
def _shares_agree_batched(
    shares: DynArray[Bytes[128], MAX_SHARES],
    t: uint256,
    group_key: Bytes[128],
) -> bool:
    """
    @dev Whether every t of the n shares (indices 1..n) interpolate to
         `group_key`: the conditions of `_shares_agree` (the first t
         give the key at 0, every further share k is their polynomial's
         value at k), checked in one G1MSM instead of n - t + 1. With
         l_i(x) the Lagrange coefficients of the first t indices, they are
         key = sum_i l_i(0) S_i and, for k >= t, 0 = sum_i l_i(k) S_i - S_k;
         adding the latter with random weights r_k gives one equation,
         key = sum_(i < t) (l_i(0) + sum_k r_k l_i(k)) S_i - sum_k r_k S_k,
         which a false condition satisfies with probability 1 / r (every
         share goes through the MSM, which checks it is in the prime-order
         subgroup). The weights are a hash of all the points (Fiat-Shamir),
         fixed before anyone can adapt a share to them.
    @param shares The shares of indices 1..n, uncompressed (EIP-2537).
    @notice Reverts unless 1 <= t <= n <= 7, and as `_g1_msm` does.
    @param t The threshold.
    @param group_key The group public key, uncompressed.
    @return bool True if every t of the shares give `group_key`.
    """
    n: uint256 = len(shares)
    assert 1 <= t and t <= n, "bls: threshold out of range"
    indices: DynArray[uint256, MAX_SHARES] = []
    for i: uint256 in range(t, bound=MAX_SHARES):
        indices.append(i + 1)
    inverses: DynArray[uint256, MAX_SHARES] = (
        self._inverse_denominators(indices)
    )
    scalars: DynArray[uint256, MAX_SHARES] = self._coefficients_at(
        indices, inverses, 0
    )
    transcript: bytes32 = keccak256(abi_encode(group_key, shares))
    for k: uint256 in range(t, n, bound=MAX_SHARES):
        weight: uint256 = (
            convert(keccak256(concat(transcript, convert(k, bytes32))), uint256)
            % R
        )
        at_k: DynArray[uint256, MAX_SHARES] = self._coefficients_at(
            indices, inverses, k + 1
        )
        for i: uint256 in range(t, bound=MAX_SHARES):
            scalars[i] = uint256_addmod(
                scalars[i], uint256_mulmod(weight, at_k[i], R), R
            )
        scalars.append(R - weight)
    return self._g1_msm(shares, scalars) == group_key
