#!/usr/bin/env python3
"""Raw frames against the simulated board (`pbit fpga sim`): every malformed
request gets exactly one error response, never silence, and good requests
still work afterwards. Usage: protocol_errors.py /dev/pts/N NUM_CELLS"""
import os, struct, sys, time, tty

pty, cells = sys.argv[1], int(sys.argv[2])
fd = os.open(pty, os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
os.set_blocking(fd, False)

def crc16(data, c=0xFFFF):
    for x in data:
        c ^= x << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) & 0xFFFF if c & 0x8000 else (c << 1) & 0xFFFF
    return c

def frame(cmd, seq, payload=b"", length=None):
    n = len(payload) if length is None else length
    body = bytes([cmd, seq, n & 0xFF, n >> 8]) + payload
    c = crc16(body)
    return bytes([0xA5]) + body + bytes([c >> 8, c & 0xFF])

def words(*w):
    return b"".join(struct.pack("<I", x & 0xFFFFFFFF) for x in w)

def read_response(timeout=5.0):
    buf, t0 = b"", time.time()
    while time.time() - t0 < timeout:
        try:
            buf += os.read(fd, 4096)
        except BlockingIOError:
            time.sleep(0.002)
        i = buf.find(b"\x5a")
        if i >= 0 and len(buf) >= i + 5:
            n = buf[i + 3] | (buf[i + 4] << 8)
            if len(buf) >= i + 7 + n:
                f = buf[i:i + 7 + n]
                assert crc16(f[1:5 + n]) == (f[5 + n] << 8 | f[6 + n]), "response CRC"
                assert len(buf) == i + 7 + n, "more than one response"
                return f[1], f[2], f[5:5 + n]
    raise AssertionError("no response (silence)")

def expect(request, status, seq, what, payload_len=None):
    os.write(fd, request)
    st, sq, pl = read_response()
    assert (st, sq) == (status, seq), f"{what}: got status {st} seq {sq}, expected {status} {seq}"
    if payload_len is not None:
        assert len(pl) == payload_len, f"{what}: payload {len(pl)} bytes"
    print(f"ok   {what}: status {st}")
    return pl

OK, BAD_CRC, BAD_CMD, BAD_LEN, BAD_ARG, TIMEOUT = 0, 1, 2, 3, 4, 5
info = expect(frame(0x00, 1), OK, 1, "INFO", 36)
magic, version, clk, cpb, bufw, flags, ncells, errors0, tmo = struct.unpack("<9I", info)
assert magic == 0x50425254 and version == 1 and ncells == cells, (hex(magic), version, ncells)

bad = bytearray(frame(0x01, 2, words(0)))
bad[6] ^= 0x40
expect(bytes(bad), BAD_CRC, 2, "damaged payload -> BAD_CRC")
expect(frame(0x33, 3), BAD_CMD, 3, "unknown command -> BAD_CMD")
expect(frame(0x01, 4, words(0, 0)), BAD_LEN, 4, "READ with two words -> BAD_LEN")
expect(frame(0x01, 5, b"\x00\x00\x00\x00\x00\x00", 6), BAD_LEN, 5, "payload not whole words -> BAD_LEN")
expect(frame(0x04, 6, words(*range(bufw + 1))), BAD_LEN, 6, "WRITE_BURST over the buffer -> BAD_LEN")
expect(frame(0x01, 7, words(1 << 24)), BAD_ARG, 7, "address beyond the bus -> BAD_ARG")
expect(frame(0x03, 8, words(0, 0)), BAD_ARG, 8, "READ_BURST of 0 words -> BAD_ARG")
expect(frame(0x03, 9, words((1 << 24) - 2, 3)), BAD_ARG, 9, "READ_BURST past the end -> BAD_ARG")
expect(frame(0x06, 10, words(cells - 1, 2, 0)), BAD_ARG, 10, "READ_STATS past the last cell -> BAD_ARG")
expect(frame(0x06, 11, words(0, 1, 25)), BAD_ARG, 11, "READ_STATS of 25 slots -> BAD_ARG")
os.write(fd, frame(0x02, 12, words(0x10, 1))[:7])  # a request that stops arriving
st, sq, _ = read_response()
assert (st, sq) == (TIMEOUT, 12), (st, sq)
print(f"ok   truncated request -> TIMEOUT")

# Good requests still work: registers, bursts, states, stats, RUN and its replay.
assert struct.unpack("<I", expect(frame(0x01, 20, words(0x0)), OK, 20, "READ ID", 4))[0] == 0x50424954
expect(frame(0x04, 21, words(0x100000 + 16, 3, 0xFFFFFFFE)), OK, 21, "WRITE_BURST couplings")
j = struct.unpack("<2I", expect(frame(0x03, 22, words(0x100000 + 16, 2)), OK, 22, "READ_BURST couplings", 8))
assert j == (3, 0xFFFFFFFE), j
expect(frame(0x02, 23, words(0x100000 + 4, 1)), OK, 23, "WRITE STATE of cell 0")
st = expect(frame(0x07, 24), OK, 24, "READ_STATES", (cells + 7) // 8)
assert st[0] & 1 == 1, st
cyc = struct.unpack("<I", expect(frame(0x05, 25, words(10)), OK, 25, "RUN 10", 4))[0]
sweeps = struct.unpack("<I", expect(frame(0x01, 26, words(0xC)), OK, 26, "READ SWEEP_COUNT_LO", 4))[0]
cyc2 = struct.unpack("<I", expect(frame(0x05, 27, words(5)), OK, 27, "RUN 5", 4))[0]
rep = struct.unpack("<I", expect(frame(0x05, 27, words(5)), OK, 27, "RUN 5 repeated (same SEQ)", 4))[0]
sweeps2 = struct.unpack("<I", expect(frame(0x01, 28, words(0xC)), OK, 28, "READ SWEEP_COUNT_LO", 4))[0]
assert sweeps2 - sweeps == 5, f"a repeated RUN ran again ({sweeps} -> {sweeps2})"
assert rep == cyc2 and cyc >= 10 and cyc2 >= 5, (cyc, cyc2, rep)
stats = expect(frame(0x06, 29, words(0, cells, 2)), OK, 29, "READ_STATS", 4 * cells * 3)
info = expect(frame(0x00, 30), OK, 30, "INFO", 36)
errors = struct.unpack("<9I", info)[7]
assert errors - errors0 == 11, f"error responses counted: {errors - errors0}"
print("PASS protocol errors and replays")
