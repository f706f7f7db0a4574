using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Sqlite.Migrations
{
    /// <summary>
    /// Full-text search over log lines: an FTS5 table with one row per log chunk (its rowid is the
    /// chunk's), holding the chunk's line texts. It keeps no copy of the text (contentless): a match
    /// names chunks, and the server reads the lines from the chunk itself. The server's search indexer
    /// fills it just after chunks are stored, so ingestion never waits for indexing; existing chunks
    /// are indexed here once.
    /// </summary>
    public partial class LogSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE VIRTUAL TABLE log_search USING fts5(text, content='', tokenize='unicode61 remove_diacritics 0');");
            migrationBuilder.Sql("""
                INSERT INTO log_search(rowid, text)
                SELECT c.rowid, (SELECT group_concat(json_extract(value, '$.text'), char(10)) FROM json_each(c.lines)) FROM log_chunks c;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS log_search;");
        }
    }
}
