// Every keyword vipd implements is documented in vipd.conf(5), in the
// section of its block (issue 7: "a test checks ... every supported keyword
// in vipd.conf(5)"). "Documented" means written in bold there, as the page
// sets every keyword it defines; a keyword named only in "RECOGNISED BUT NOT
// SUPPORTED" or in an example does not count.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vipd/config/keywords.h"

namespace vipd::config {
namespace {

/// The bold words of a man page, by `.SH` section.
using BoldWords = std::map<std::string, std::set<std::string>, std::less<>>;

/// Reads the roff of a man(7) page just far enough to tell which words are
/// set in bold: the font macros (.B, .BI, .BR, .IB, .RB and the roman and
/// italic ones) and the \fB, \fI, \fR, \fP escapes. Other escapes end a word.
class BoldWordReader {
 public:
  BoldWords read(std::istream& page) {
    std::string line;
    while (std::getline(page, line)) readLine(line);
    return std::move(words_);
  }

 private:
  void readLine(const std::string& line) {
    if (line.empty() || (line[0] != '.' && line[0] != '\'')) {
      textFont_ = setText(line, textFont_);  // an escape's font carries to the next line
      return;
    }
    if (line.rfind(".\\\"", 0) == 0) return;  // comment
    const std::vector<std::string> args = splitArguments(line.substr(1));
    if (args.empty()) return;
    const std::string& macro = args[0];
    textFont_ = 'R';  // the paragraph macros reset the font
    if (macro == "SH") {
      section_.clear();
      for (std::size_t i = 1; i < args.size(); ++i) section_ += (i > 1 ? " " : "") + args[i];
      return;
    }
    if (macro != "B" && macro != "I" && macro != "BI" && macro != "BR" && macro != "IB" &&
        macro != "IR" && macro != "RB" && macro != "RI") {
      return;
    }
    // .B WORD WORD sets all in bold; .BI A B C alternates bold and italic.
    for (std::size_t i = 1; i < args.size(); ++i) {
      setText(args[i], macro.size() == 1 ? macro[0] : macro[(i - 1) % 2]);
    }
  }

  /// Records the bold words of `text`, which starts in `font` (B, I or R);
  /// returns the font at its end.
  char setText(const std::string& text, char font) {
    char previous = font;
    std::string word;
    const auto endWord = [&] {
      if (!word.empty() && font == 'B') words_[section_].insert(word);
      word.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char ch = text[i];
      if (ch == '\\' && i + 2 < text.size() && text[i + 1] == 'f') {
        endWord();
        const char next = text[i + 2] == 'P' ? previous : text[i + 2];
        previous = font;
        font = next;
        i += 2;
      } else if (ch == '\\') {
        endWord();
        ++i;  // \- \& \( ...: not part of a keyword
      } else if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') {
        word += ch;
      } else {
        endWord();
      }
    }
    endWord();
    return font;
  }

  /// A request line's words; "double quotes" group, "" inside them is a quote.
  static std::vector<std::string> splitArguments(const std::string& request) {
    std::vector<std::string> args;
    std::size_t i = 0;
    while (i < request.size()) {
      if (request[i] == ' ' || request[i] == '\t') {
        ++i;
        continue;
      }
      std::string arg;
      if (request[i] == '"') {
        for (++i; i < request.size(); ++i) {
          if (request[i] == '"' && i + 1 < request.size() && request[i + 1] == '"') {
            arg += '"';
            ++i;
          } else if (request[i] == '"') {
            ++i;
            break;
          } else {
            arg += request[i];
          }
        }
      } else {
        while (i < request.size() && request[i] != ' ' && request[i] != '\t') arg += request[i++];
      }
      args.push_back(arg);
    }
    return args;
  }

  BoldWords words_;
  std::string section_;
  char textFont_ = 'R';
};

BoldWords boldWords(const std::string& roff) {
  std::istringstream in(roff);
  return BoldWordReader().read(in);
}

const std::string kBlocksSection = "HEALTH CHECKS, TRACKING AND GROUPS";
const std::string kChecksSection = "NATIVE HEALTH CHECKS";

/// Where vipd.conf(5) documents the keywords of each block. A new block
/// fails the test until it is placed here (and documented there).
const std::map<std::string, std::vector<std::string>, std::less<>> kSectionsOfBlock = {
    {"", {"GLOBAL DEFINITIONS", "VRRP INSTANCES", kBlocksSection}},
    {"global_defs", {"GLOBAL DEFINITIONS"}},
    {"vrrp_instance", {"VRRP INSTANCES"}},
    {"vrrp_instance authentication", {"VRRP INSTANCES"}},
    {"vrrp_script", {kBlocksSection}},
    {"vipd_check", {kBlocksSection}},
    {"track_file", {kBlocksSection}},
    {"vrrp_track_process", {kBlocksSection}},
    {"vrrp_sync_group", {kBlocksSection}},
    {"vipd_check TCP_CHECK", {kChecksSection}},
    {"vipd_check HTTP_GET", {kChecksSection}},
    {"vipd_check HTTP_GET url", {kChecksSection}},
};

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool contains(const std::vector<SupportedKeyword>& list, std::string_view block,
              std::string_view keyword) {
  return std::any_of(list.begin(), list.end(), [&](const SupportedKeyword& k) {
    return k.block == block && k.keyword == keyword;
  });
}

TEST(BoldWordReaderTest, FindsBoldWordsOfFontMacrosAndEscapesBySection) {
  const BoldWords words = boldWords(
      ".SH FIRST\n"
      ".BI vrrp_mcast_group4 \" ADDRESS\\fR, \" vrrp_mcast_group6 \" ADDRESS\"\n"
      ".RB [ brd_word \" \\fIIP\\fB in_escape\" ]\n"
      "plain \\fBinline\\fR roman \\fBcarried\n"
      "over\\fR gone\n"
      ".SH \"SECOND PART\"\n"
      ".BR \"url { path \" PATH\n"
      ".IR italic_word \\-dash\n");
  EXPECT_EQ(words.at("FIRST"),
            (std::set<std::string>{"vrrp_mcast_group4", "vrrp_mcast_group6", "brd_word",
                                   "in_escape", "inline", "carried", "over"}));
  EXPECT_EQ(words.at("SECOND PART"), (std::set<std::string>{"url", "path"}));
}

TEST(SupportedKeywordsTest, ListsImplementedKeywordsByBlockAndLeavesOutIgnoredOnes) {
  const std::vector<SupportedKeyword> keywords = supportedKeywords();
  EXPECT_TRUE(contains(keywords, "", "vrrp_instance"));
  EXPECT_TRUE(contains(keywords, "global_defs", "vrrp_garp_master_refresh_repeat"));
  EXPECT_TRUE(contains(keywords, "vrrp_instance", "virtual_router_id"));
  EXPECT_TRUE(contains(keywords, "vrrp_instance authentication", "auth_pass"));
  EXPECT_TRUE(contains(keywords, "vipd_check HTTP_GET url", "status_code"));
  EXPECT_TRUE(contains(keywords, "vrrp_sync_group", "sync_group_tracking_weight"));
  // Recognised only to be warned about.
  EXPECT_FALSE(contains(keywords, "vrrp_instance", "use_vmac_addr"));
  EXPECT_TRUE(contains(keywords, "vrrp_instance", "use_vmac"));
  EXPECT_FALSE(contains(keywords, "", "virtual_server"));
  // Parsed and checked, but not acted on yet; with their blocks' keywords.
  EXPECT_FALSE(contains(keywords, "global_defs", "vrrp_startup_delay"));
  EXPECT_FALSE(contains(keywords, "", "garp_group"));
  EXPECT_FALSE(contains(keywords, "garp_group", "garp_interval"));
}

TEST(KeywordsDocumentedTest, EverySupportedKeywordIsInBoldInItsSectionOfVipdConf5) {
  const std::string page = readFile(VIPD_CONF_MAN_PAGE);
  ASSERT_FALSE(page.empty()) << "cannot read " << VIPD_CONF_MAN_PAGE;
  const BoldWords bold = boldWords(page);
  const std::vector<SupportedKeyword> keywords = supportedKeywords();
  ASSERT_GE(keywords.size(), 100u);
  for (const SupportedKeyword& entry : keywords) {
    const std::string block = entry.block.empty() ? "the top level" : std::string(entry.block);
    SCOPED_TRACE(std::string(entry.keyword) + " in " + block);
    const auto sections = kSectionsOfBlock.find(entry.block);
    if (sections == kSectionsOfBlock.end()) {
      ADD_FAILURE() << "no section of vipd.conf(5) is known for " << block
                    << ": document it and add it to kSectionsOfBlock";
      continue;
    }
    const bool documented =
        std::any_of(sections->second.begin(), sections->second.end(), [&](const std::string& s) {
          const auto words = bold.find(s);
          return words != bold.end() && words->second.count(std::string(entry.keyword)) > 0;
        });
    EXPECT_TRUE(documented) << entry.keyword << " (" << block << ") is not in bold in "
                            << sections->second.front() << " of vipd.conf(5)";
  }
}

}  // namespace
}  // namespace vipd::config
