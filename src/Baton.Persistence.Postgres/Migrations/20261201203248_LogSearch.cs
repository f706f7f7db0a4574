using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Postgres.Migrations
{
    /// <summary>
    /// Full-text search over log lines: a GIN index on the tsvector of each chunk's line texts
    /// (decoded from the JSON, everything that is not a letter or digit made a space, so words are
    /// what Baton's search calls words, not what PostgreSQL's parser makes of "-7" or a path), in
    /// the 'simple' configuration (no stemming, no stop words). A match names chunks; the server
    /// picks the matching lines. The expression is <see cref="SearchExpression"/>, which the query repeats.
    /// </summary>
    public partial class LogSearch : Migration
    {
        /// <summary>Kept in step with Baton.Persistence.Logs.LogChunkSearch, whose query must say exactly this to use the index.</summary>
        public const string SearchExpression =
            "to_tsvector('simple'::regconfig, regexp_replace(jsonb_path_query_array(lines::jsonb, '$[*].text')::text, '[^[:alnum:]]+', ' ', 'g'))";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"CREATE INDEX ix_log_chunks_search ON log_chunks USING gin (({SearchExpression}));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_log_chunks_search;");
        }
    }
}
