<?xml version="1.0" encoding="utf-8"?>
<!-- mkdocs-postmortems: the status site's Atom and RSS feeds as a page, for a person who opens one in a browser
     (named by each feed's xml-stylesheet processing instruction; feed readers ignore it). XSLT 1.0, which browsers
     apply to a feed served as XML (application/xml or text/xml, see publishing.md#hosting). Titles and times are
     text; an entry's content is the HTML the build wrote, every public text in it escaped or sanitised
     (status_site/html_text.py), so it is output as HTML. It links feed.css beside itself and fetches nothing else. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

  <!-- "../" for a component's feed: the way from the feed to this stylesheet, and so to feed.css beside it -->
  <xsl:variable name="named" select="/processing-instruction('xml-stylesheet')[contains(., 'feed.xsl')][1]"/>
  <xsl:variable name="up" select="substring-before(substring-after($named, 'href=&quot;'), 'feed.xsl')"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <title><xsl:value-of select="$title"/></title>
        <link rel="icon" href="data:,"/>
        <link rel="stylesheet" href="{$up}feed.css"/>
      </head>
      <body class="pm-feed">
        <header class="pm-feed__head">
          <h1><xsl:value-of select="$title"/></h1>
          <p class="pm-feed__about">This is a feed: paste its address into a feed reader to follow new incidents,
            maintenance and their updates.
            <xsl:apply-templates select="atom:feed/atom:link[@rel='self'] | rss/channel/atom:link[@rel='self']"/>
            <xsl:apply-templates select="atom:feed/atom:link[@rel='alternate'] | rss/channel/link"/></p>
        </header>
        <main>
          <xsl:apply-templates select="atom:feed/atom:entry | rss/channel/item"/>
          <xsl:if test="not(atom:feed/atom:entry | rss/channel/item)">
            <p>No incidents have been reported.</p>
          </xsl:if>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:link[@rel='self']">
    <br/>Its address: <code class="pm-feed__address"><xsl:value-of select="@href"/></code>
  </xsl:template>

  <xsl:template match="atom:feed/atom:link[@rel='alternate'] | rss/channel/link">
    <br/><a href="{@href | self::link}">The status page</a> has the same, for reading.
  </xsl:template>

  <xsl:template match="atom:entry | item">
    <article class="pm-feed__entry">
      <h2><a href="{atom:link[@rel='alternate']/@href | link}"><xsl:value-of select="atom:title | title"/></a></h2>
      <p class="pm-feed__updated">Last updated <xsl:apply-templates select="atom:updated | pubDate"/></p>
      <div class="pm-feed__content">
        <xsl:value-of select="atom:content | description" disable-output-escaping="yes"/>
      </div>
    </article>
  </xsl:template>

  <!-- 2026-11-30T21:40:00Z as 2026-11-30 21:40 UTC -->
  <xsl:template match="atom:updated">
    <time datetime="{.}"><xsl:value-of select="concat(substring(., 1, 10), ' ', substring(., 12, 5), ' UTC')"/></time>
  </xsl:template>

  <!-- Mon, 30 Nov 2026 21:40:00 +0000 as Mon, 30 Nov 2026 21:40 UTC -->
  <xsl:template match="pubDate">
    <xsl:value-of select="concat(substring(., 1, string-length(.) - 9), ' UTC')"/>
  </xsl:template>
</xsl:stylesheet>
