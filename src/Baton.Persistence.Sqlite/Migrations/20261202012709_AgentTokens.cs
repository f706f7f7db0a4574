using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AgentTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "token_id",
                table: "agents",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "token_id",
                table: "agents");
        }
    }
}
