import Foundation
import Testing

@testable import TeprovCore

@Suite struct DSMLBinaryValueTests {
    func decode(_ text: String, _ rawName: String) -> DSMLBinaryValue.Outcome {
        var text = text
        return text.withUTF8 { DSMLBinaryValue.decode($0, rawKey: AttributeKey(rawName), rawName: rawName) }
    }

    @Test func guidTextUsesMicrosoftByteOrder() {
        let bytes: [UInt8] = [
            0x6C, 0x2A, 0x6F, 0x0B, 0x0E, 0x8B, 0x4E, 0x4C, 0x9D, 0x4A, 0x3F, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F,
        ]
        #expect(DSMLBinaryValue.guidText(bytes) == "0b6f2a6c-8b0e-4c4e-9d4a-3f1b2c3d4e5f")
        #expect(
            DSMLBinaryValue.guidText(bytes)
                == UUID(
                    uuid: (
                        0x0B, 0x6F, 0x2A, 0x6C, 0x8B, 0x0E, 0x4C, 0x4E, 0x9D, 0x4A, 0x3F, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F
                    )
                ).uuidString.lowercased())
    }

    @Test(arguments: [
        ("bCpvCw6LTkydSj8bLD1OXw==", "0b6f2a6c-8b0e-4c4e-9d4a-3f1b2c3d4e5f"),
        ("bCpvCw6L\n  TkydSj8bLD1OXw==", "0b6f2a6c-8b0e-4c4e-9d4a-3f1b2c3d4e5f"),  // wrapped base64
        ("bCpvCw6LTkydSj8bLD1OXw", "0b6f2a6c-8b0e-4c4e-9d4a-3f1b2c3d4e5f"),  // padding optional
        ("AAAAAAAAAAAAAAAAAAAAAA==", "00000000-0000-0000-0000-000000000000"),
    ])
    func objectGUIDDecodes(base64: String, expected: String) {
        #expect(decode(base64, "objectGUID") == .value(.string(expected)))
        #expect(decode(base64, "ObjectGuid") == .value(.string(expected)))
    }

    @Test(arguments: [
        ("VGVzdA==", DSMLBinaryValue.Outcome.value(.string("Test"))),
        ("VHJ1ZQ==", .value(.bool(true))),  // "True"
        ("ICA=", .absent),  // two spaces
        ("", .absent),
        ("AAEC", .value(.string("AAEC"))),  // control bytes: kept as base64
        ("/9j/4A==", .value(.string("/9j/4A=="))),  // not UTF-8
        ("w6k=", .value(.string("é"))),
        ("VGVzdA=", .problem("photo is marked base64Binary but is not valid base64")),
        ("VGVzdA===", .problem("photo is marked base64Binary but is not valid base64")),
        ("VG=VzdA", .problem("photo is marked base64Binary but is not valid base64")),
        ("V", .problem("photo is marked base64Binary but is not valid base64")),
        ("VGVzdB==", .problem("photo is marked base64Binary but is not valid base64")),  // non-zero fill bits
    ])
    func otherBinaryValues(base64: String, expected: DSMLBinaryValue.Outcome) {
        #expect(decode(base64, "photo") == expected)
    }

    @Test(arguments: [
        ([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0] as [UInt8], "S-1-5-18"),
        ([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0] as [UInt8], "S-1-5-32-544"),
    ])
    func sidText(bytes: [UInt8], expected: String) {
        #expect(DSMLBinaryValue.sidText(bytes) == expected)
        #expect(decode(Data(bytes).base64EncodedString(), "objectSid") == .value(.string(expected)))
    }

    @Test func malformedSIDStaysBase64() {
        let bytes: [UInt8] = [1, 3, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]  // claims 3 sub-authorities, has 1
        #expect(DSMLBinaryValue.sidText(bytes) == nil)
        #expect(decode(Data(bytes).base64EncodedString(), "objectSid") == .value(.string("AQMAAAAAAAUSAAAA")))
    }
}
