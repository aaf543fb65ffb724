using System.Text.Unicode;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

public class Utf8ValidatorTests
{
    public static TheoryData<string> TrickyInputs => new()
    {
        "", "41", "C2A2", "E282AC", "F09F9880", "EFBFBF", "F48FBFBF", "EDA080", "EDBFBF", "ED9FBF", "EE8080",
        "C080", "C1BF", "E08080", "E09FBF", "E0A080", "F0808080", "F08FBFBF", "F0908080", "F4908080", "F5808080", "FF", "FE",
        "80", "BF", "C2", "E282", "F09F98", "C241", "E28241", "F09F9841", "41C2A2E282ACF09F988042", "F09F9880F09F9880",
        "E282ACE282", "C2A280", "414243C0",
    };

    [Theory]
    [MemberData(nameof(TrickyInputs))]
    public void Append_TrickyInputSplitAnywhere_AgreesWithUtf8IsValid(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        AssertAgreesAtEverySplit(bytes);
    }

    [Fact]
    public void Append_RandomInputsSplitAnywhere_AgreeWithUtf8IsValid()
    {
        var random = new Random(2024);
        byte[] alphabet = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF];
        for (int i = 0; i < 3000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 12)];
            for (int j = 0; j < bytes.Length; j++)
            {
                bytes[j] = alphabet[random.Next(alphabet.Length)];
            }

            AssertAgreesAtEverySplit(bytes);
        }
    }

    [Fact]
    public void Append_RandomValidTextSplitAnywhere_IsValid()
    {
        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            byte[] text = RandomText.Utf8(random, random.Next(0, 40));
            Assert.True(Utf8.IsValid(text));
            AssertAgreesAtEverySplit(text);
        }
    }

    [Theory]
    [InlineData("F490")] // above U+10FFFF: fails on the second byte
    [InlineData("E080")] // overlong
    [InlineData("EDA0")] // surrogate U+D800
    [InlineData("F08F")] // overlong
    [InlineData("C0")] // always-overlong lead
    [InlineData("F5")] // lead beyond U+10FFFF
    [InlineData("80")] // continuation without a lead
    [InlineData("E241")] // lead followed by ASCII
    public void Append_SequenceThatCanNeverBeValid_FailsBeforeTheTextEnds(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var whole = default(Utf8Validator);
        Assert.False(whole.Append(bytes, final: false));

        var byteByByte = default(Utf8Validator);
        bool ok = true;
        foreach (byte b in bytes)
        {
            ok = ok && byteByByte.Append([b], final: false);
        }

        Assert.False(ok);
    }

    [Fact]
    public void Append_UnfinishedButPossibleCodePoint_FailsOnlyWhenTheNextByteCannotContinueIt()
    {
        var validator = default(Utf8Validator);
        Assert.True(validator.Append([0x41, 0x42, 0xE2], final: false));
        Assert.False(validator.Append([0x41], final: false));
    }

    [Fact]
    public void Append_TruncatedSequenceAtFinal_Fails()
    {
        var validator = default(Utf8Validator);
        Assert.True(validator.Append([0xF0, 0x9F, 0x98], final: false));
        Assert.False(validator.Append([], final: true));
    }

    [Fact]
    public void Reset_AfterPartialSequence_StartsFresh()
    {
        var validator = default(Utf8Validator);
        Assert.True(validator.Append([0xE2, 0x82], final: false));
        validator.Reset();
        Assert.True(validator.Append("ok"u8, final: true));
    }

    [Fact]
    public void IsValid_MultiSegmentSequence_AgreesWithUtf8IsValid()
    {
        byte[] text = Wire.Utf8("a€😀b");
        for (int size = 1; size <= text.Length; size++)
        {
            Assert.True(Utf8Validator.IsValid(SegmentedSequence.Create(SegmentedSequence.Cut(text, Enumerable.Repeat(size, text.Length)))));
        }

        Assert.False(Utf8Validator.IsValid(SegmentedSequence.Create([0x61, 0xE2], [0x82])));
    }

    private static void AssertAgreesAtEverySplit(byte[] bytes)
    {
        bool expected = Utf8.IsValid(bytes);
        for (int cut1 = 0; cut1 <= bytes.Length; cut1++)
        {
            for (int cut2 = cut1; cut2 <= bytes.Length; cut2++)
            {
                var validator = default(Utf8Validator);
                bool actual = validator.Append(bytes.AsSpan(0, cut1), final: false)
                    && validator.Append(bytes.AsSpan(cut1, cut2 - cut1), final: false)
                    && validator.Append(bytes.AsSpan(cut2), final: true);
                Assert.True(expected == actual, $"{Convert.ToHexString(bytes)} split at {cut1},{cut2}: expected {expected}");
            }
        }
    }
}
